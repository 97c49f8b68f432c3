/**
 * The main process's logger: electron-log to its standard location (e.g. ~/.config/Cloud Cleaner/logs/main.log,
 * ~/Library/Logs/Cloud Cleaner/main.log), with a hook that redacts secrets from every message before any transport
 * writes it. Only main logs through this; the renderer is not bridged (no electron-log preload is injected).
 */
import log from 'electron-log/main';
import { configureLog, type ElectronLogLike, type MainLog } from './configure';

export type { AppLogger, MainLog } from './configure';

let configured: MainLog | null = null;

export function setUpMainLog(opts: { dev: boolean }): MainLog {
  if (configured) return configured;
  configured = configureLog(log as unknown as ElectronLogLike, opts);
  log.errorHandler.startCatching({ showDialog: false });
  return configured;
}
