/**
 * Test support for "the app as shipped": electron-builder.yml read by electron-builder's own loader and schema
 * (not a YAML parser of ours), so a test sees exactly the configuration a build would use, and an option
 * electron-builder 26 does not know fails validation instead of being silently ignored. Not part of the app.
 */
import path from 'node:path';
import type { Configuration, FileSet } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';

export const PROJECT_ROOT = path.resolve(__dirname, '../../..');
export const BUILDER_CONFIG_FILE = path.join(PROJECT_ROOT, 'electron-builder.yml');

export async function loadBuilderConfig(file = BUILDER_CONFIG_FILE): Promise<Configuration> {
  return getConfig(PROJECT_ROOT, file, null);
}

/** Throws electron-builder's own "Invalid configuration object" error for an unknown or mistyped option. */
export async function validateBuilderConfig(config: Configuration): Promise<void> {
  await validateConfiguration(config, new DebugLogger(false));
}

/** The `extraResources` entries that make up the command line shipped at <resources>/cli/. */
export function cliResourceEntries(config: Configuration): Array<{ from: string; to: string }> {
  const raw = config.extraResources;
  const list: Array<FileSet | string> = raw == null ? [] : Array.isArray(raw) ? raw : [raw];
  return list.flatMap((e) => {
    if (typeof e === 'string' || !e.from || !e.to || !/^cli(\/|$)/.test(e.to)) return [];
    if (e.filter !== undefined) throw new Error(`extraResources ${e.from} → ${e.to}: filters are not reproduced by the CLI test; list files instead`);
    return [{ from: e.from, to: e.to }];
  });
}
