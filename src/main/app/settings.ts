import { settingsSchema, type SettingsDto } from '../../shared/dto/settings';
import type { DbHandle } from '../db/connection';
import { getAllSettings, setSetting } from '../db/repos/settings';

/** User settings, stored one key per row in `settings`; defaults apply to anything never set (schema: src/shared). */
export { settingsSchema };
export type AppSettings = SettingsDto;

export const DEFAULT_SETTINGS: AppSettings = {
  lookbackDays: 30,
  minServiceCost: 0.01,
  stoppedInstanceDays: 30,
  protectionTagKey: 'cloud-cleaner:keep',
  ceCacheHours: 12,
  scanConcurrency: 32,
  theme: 'system',
  lastProfile: null,
};

/** The stored settings over the defaults; a stored value that no longer validates falls back to its default. */
export async function loadSettings(db: DbHandle): Promise<AppSettings> {
  const stored = await getAllSettings(db.db);
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof AppSettings)[]) {
    if (!(key in stored)) continue;
    const parsed = settingsSchema.shape[key].safeParse(stored[key]);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as AppSettings;
}

/** Validates and stores a partial update; returns the full settings. */
export async function updateSettings(db: DbHandle, patch: Partial<AppSettings>): Promise<AppSettings> {
  const valid = settingsSchema.partial().parse(patch);
  for (const [k, v] of Object.entries(valid)) if (v !== undefined) await setSetting(db.db, k, v);
  return loadSettings(db);
}
