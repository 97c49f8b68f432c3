/**
 * Test support: AWS config and credentials files in a temporary folder, and an environment that reads only them (no
 * endpoint, key, region or profile from the machine; the instance-metadata address off), restored afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clearCredentialCache } from '../aws/credentials';

const CLEARED = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE'];

export interface ProfileEnv {
  dir: string;
  /** Puts the environment back and removes the folder. */
  restore(): void;
}

export function useProfileFiles(files: { config: string; credentials: string }): ProfileEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-profiles-'));
  fs.writeFileSync(path.join(dir, 'config'), files.config);
  fs.writeFileSync(path.join(dir, 'credentials'), files.credentials);
  const saved = new Map<string, string | undefined>();
  const set = (k: string, v: string | undefined): void => {
    if (!saved.has(k)) saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  };
  set('AWS_CONFIG_FILE', path.join(dir, 'config'));
  set('AWS_SHARED_CREDENTIALS_FILE', path.join(dir, 'credentials'));
  set('AWS_EC2_METADATA_DISABLED', 'true');
  for (const k of CLEARED) set(k, undefined);
  clearCredentialCache();
  return {
    dir,
    restore() {
      for (const [k, v] of saved) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      clearCredentialCache();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
