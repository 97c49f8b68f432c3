export interface AppInfoDto {
  version: string;
  /** Absolute path of the SQLite database. */
  dbFile: string;
  /** Absolute path of the current log file. */
  logFile: string;
  /** process.platform of the main process: darwin, win32, linux. */
  platform: string;
  arch: string;
}
