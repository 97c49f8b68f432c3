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

type LogFn = (...params: unknown[]) => void;
interface LogMessage {
  data: unknown[];
}

/** What configureLog needs of an electron-log instance (electron-log/main in the app, electron-log/node in tests). */
export interface ElectronLogLike {
  transports: {
    file: { level: string | false; maxSize: number; getFile(): { path: string } };
    console: { level: string | false };
  };
  hooks: Array<(message: LogMessage, ...rest: never[]) => LogMessage | false>;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** Levels, size cap and the redaction hook (runs before every transport: nothing secret is written anywhere). */
export function configureLog(instance: ElectronLogLike, opts: { dev: boolean; fileLevel?: 'debug' | 'info' }): MainLog {
  instance.transports.file.level = opts.fileLevel ?? 'info';
  instance.transports.file.maxSize = 5 * 1024 * 1024;
  instance.transports.console.level = opts.dev ? 'debug' : 'warn';
  instance.hooks.push((message) => ({ ...message, data: redactLogArgs(message.data) }));
  const logger: AppLogger = {
    debug: (m, ...meta) => instance.debug(m, ...meta),
    info: (m, ...meta) => instance.info(m, ...meta),
    warn: (m, ...meta) => instance.warn(m, ...meta),
    error: (m, ...meta) => instance.error(m, ...meta),
  };
  return { logger, logFile: instance.transports.file.getFile().path };
}
