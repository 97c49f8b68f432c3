/**
 * The main process's logger: electron-log to its standard location (e.g. ~/.config/Cloud Cleaner/logs/main.log,
 * ~/Library/Logs/Cloud Cleaner/main.log), with a hook that redacts secrets from every message before any transport
 * writes it. Only main logs through this; the renderer is not bridged (no electron-log preload is injected).
 */
import log from 'electron-log/main';
import { redactLogArgs } from './redact';

export interface AppLogger {
  debug(message: string, ...meta: unknown[]): void;
  info(message: string, ...meta: unknown[]): void;
  warn(message: string, ...meta: unknown[]): void;
  error(message: string, ...meta: unknown[]): void;
}

export interface MainLog {
  logger: AppLogger;
  /** Absolute path of the current log file. */
  logFile: string;
}

let configured: MainLog | null = null;

export function setUpMainLog(opts: { dev: boolean }): MainLog {
  if (configured) return configured;
  log.transports.file.level = 'info';
  log.transports.file.maxSize = 5 * 1024 * 1024;
  log.transports.console.level = opts.dev ? 'debug' : 'warn';
  // Runs before every transport: nothing secret reaches the file or the console.
  log.hooks.push((message) => ({ ...message, data: redactLogArgs(message.data) }));
  log.errorHandler.startCatching({ showDialog: false });
  const logger: AppLogger = {
    debug: (m, ...meta) => log.debug(m, ...meta),
    info: (m, ...meta) => log.info(m, ...meta),
    warn: (m, ...meta) => log.warn(m, ...meta),
    error: (m, ...meta) => log.error(m, ...meta),
  };
  configured = { logger, logFile: log.transports.file.getFile().path };
  return configured;
}
