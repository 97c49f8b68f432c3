import { z } from 'zod';
import type { DbHandle } from '../db/connection';
import { getAllSettings, setSetting } from '../db/repos/settings';

/** User settings, stored one key per row in `settings`; defaults apply to anything never set. */
export const settingsSchema = z.object({
  lookbackDays: z.number().int().min(1).max(395),
  minServiceCost: z.number().min(0).max(1_000_000),
  stoppedInstanceDays: z.number().int().min(1).max(3650),
  protectionTagKey: z.string().trim().min(1).max(128),
  ceCacheHours: z.number().min(0).max(168),
  scanConcurrency: z.number().int().min(1).max(64),
  theme: z.enum(['light', 'dark', 'system']),
  lastProfile: z.string().nullable(),
});
export type AppSettings = z.infer<typeof settingsSchema>;

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
