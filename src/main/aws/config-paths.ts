import { homedir } from 'node:os';
import { join } from 'node:path';

type Env = Record<string, string | undefined>;

/** The same home directory the SDK uses (HOME, then USERPROFILE, then the OS). */
export function awsHomeDir(env: Env = process.env): string {
  return env.HOME || env.USERPROFILE || homedir();
}

function expandHome(path: string, env: Env): string {
  return path.startsWith('~/') ? join(awsHomeDir(env), path.slice(2)) : path;
}

export function configFilePath(env: Env = process.env): string {
  return expandHome(env.AWS_CONFIG_FILE || join(awsHomeDir(env), '.aws', 'config'), env);
}

export function credentialsFilePath(env: Env = process.env): string {
  return expandHome(env.AWS_SHARED_CREDENTIALS_FILE || join(awsHomeDir(env), '.aws', 'credentials'), env);
}
