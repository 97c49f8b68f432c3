import type { KindSettingDto } from '../../shared/dto/kinds';
import { settingsSchema, type SettingsDto } from '../../shared/dto/settings';
import { AppError } from '../../shared/errors';
import type { AppDb } from '../db/store';
import { getAllSettings, setSetting } from '../db/repos/settings';
import type { HandlerSettings } from '../handlers/handler';
import { kindSettingsOf, type HandlerRegistry } from '../handlers/registry';
import { DEFAULT_SCAN_SETTINGS, type ScanSettings } from '../scan/scanner';

/** User settings, stored one key per row in `settings`; defaults apply to anything never set (schema: src/shared). */
export { settingsSchema };
export type AppSettings = SettingsDto;

export const DEFAULT_SETTINGS: AppSettings = {
  lookbackDays: 30,
  minServiceCost: 0.01,
  stoppedInstanceDays: 30,
  protectionTagKey: 'cloud-cleaner:keep',
  ceCacheHours: 12,
  metricsLookbackDays: 30,
  metricsCacheHours: 12,
  scanConcurrency: 32,
  theme: 'system',
  lastProfile: null,
};

/** The stored settings over the defaults; a stored value that no longer validates falls back to its default. */
export async function loadSettings(db: AppDb): Promise<AppSettings> {
  const stored = await getAllSettings(db.db);
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof AppSettings)[]) {
    if (!(key in stored)) continue;
    const parsed = settingsSchema.shape[key].safeParse(stored[key]);
    if (parsed.success) out[key] = parsed.data;
  }
  return out as AppSettings;
}

/** The settings with the kinds' own settings beside them, flat by key (the stored value, or the kind's default). */
export type SettingsWithKinds = AppSettings & Record<string, unknown>;

function kindSettingProblem(s: KindSettingDto, v: unknown): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return `${s.key} must be a number`;
  if (s.type === 'integer' && !Number.isInteger(v)) return `${s.key} must be a whole number`;
  if (v < s.min || v > s.max) return `${s.key} must be between ${s.min} and ${s.max}`;
  return null;
}

/** The stored settings and each kind's declared setting (stored value if still valid, else its default). */
export async function loadSettingsWithKinds(db: AppDb, kindSettings: readonly KindSettingDto[]): Promise<SettingsWithKinds> {
  const base: SettingsWithKinds = await loadSettings(db);
  const stored = await getAllSettings(db.db);
  for (const s of kindSettings) {
    if (Object.hasOwn(settingsSchema.shape, s.key)) continue; // an app setting a kind also declares (validated above)
    base[s.key] = kindSettingProblem(s, stored[s.key]) === null ? stored[s.key] : s.default;
  }
  return base;
}

/**
 * Validates and stores a partial update; returns the full settings. Keys outside the app's schema must be a setting a
 * registered kind declares, within its declared range: anything else is refused and nothing is stored.
 */
export async function updateSettings(
  db: AppDb,
  patch: Partial<AppSettings> & Record<string, unknown>,
  kindSettings: readonly KindSettingDto[] = [],
): Promise<SettingsWithKinds> {
  const own: Record<string, unknown> = {};
  const kinds: Record<string, number> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (Object.hasOwn(settingsSchema.shape, k)) own[k] = v;
    else {
      const declared = kindSettings.find((s) => s.key === k);
      if (declared === undefined) throw new AppError('validation', `Unknown setting ${k}: no resource kind declares it`);
      const problem = kindSettingProblem(declared, v);
      if (problem !== null) throw new AppError('validation', problem);
      kinds[k] = v as number;
    }
  }
  const valid = settingsSchema.partial().parse(own);
  for (const [k, v] of Object.entries({ ...valid, ...kinds })) if (v !== undefined) await setSetting(db.db, k, v);
  return loadSettingsWithKinds(db, kindSettings);
}

/** What handlers get: the protection rule, the stopped-instance age, and every kind's declared setting by key. */
export function handlerSettingsOf(st: SettingsWithKinds, kindSettings: readonly KindSettingDto[]): HandlerSettings {
  const kinds: Record<string, number> = {};
  for (const s of kindSettings) {
    const v = st[s.key];
    kinds[s.key] = typeof v === 'number' ? v : s.default;
  }
  return {
    stoppedInstanceDays: st.stoppedInstanceDays,
    protectionTagKey: st.protectionTagKey,
    kinds,
    metricsLookbackDays: st.metricsLookbackDays,
  };
}

/** The handler settings in force now, for the given kinds. */
export async function loadHandlerSettings(db: AppDb, kindSettings: readonly KindSettingDto[]): Promise<HandlerSettings> {
  return handlerSettingsOf(await loadSettingsWithKinds(db, kindSettings), kindSettings);
}

/** A resource scan's settings from the stored ones (the app, the CLI and the many-account scan read them alike). */
export async function loadScanSettings(db: AppDb, registry: HandlerRegistry): Promise<ScanSettings> {
  const decl = kindSettingsOf(registry);
  const st = await loadSettingsWithKinds(db, decl);
  return {
    concurrency: st.scanConcurrency,
    perRegionConcurrency: DEFAULT_SCAN_SETTINGS.perRegionConcurrency,
    stoppedInstanceDays: st.stoppedInstanceDays,
    protectionTagKey: st.protectionTagKey,
    kinds: handlerSettingsOf(st, decl).kinds ?? {},
    metricsLookbackDays: st.metricsLookbackDays,
    metricsCacheHours: st.metricsCacheHours,
    discovery: { lookbackDays: st.lookbackDays, minCost: st.minServiceCost, cacheHours: st.ceCacheHours },
  };
}
