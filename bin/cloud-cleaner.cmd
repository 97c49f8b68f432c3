@echo off
rem Windows: the `cloud-cleaner` command of an installed Cloud Cleaner (add this folder to PATH). Needs Node on PATH.
node "%~dp0cloud-cleaner.mjs" %*
