import { contextBridge } from 'electron';

// Minimal bridge; the typed contract bridge replaces this (issue: the Electron shell).
contextBridge.exposeInMainWorld('cloudCleaner', { version: '0.1.0' });
