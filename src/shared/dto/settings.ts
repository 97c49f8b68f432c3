import { z } from 'zod';

export const THEMES = ['light', 'dark', 'system'] as const;
export type Theme = (typeof THEMES)[number];

/**
 * The user's settings: one schema for main (stored one key per row, validated on read) and the IPC contract (updates).
 * Main declares no copy of its own.
 */
export const settingsSchema = z.object({
  /** Days of cost history discovery asks for. */
  lookbackDays: z.number().int().min(1).max(395),
  /** USD over the period for a service to count as active. */
  minServiceCost: z.number().min(0).max(1_000_000),
  /** An instance is flagged only when stopped at least this many days ago (the stopped-instance kind's setting). */
  stoppedInstanceDays: z.number().int().min(1).max(3650),
  /** Tag key that protects a resource from cleanup (matched case-insensitively). */
  protectionTagKey: z.string().trim().min(1).max(128),
  /** Cost Explorer cache window; 0 disables the cache. */
  ceCacheHours: z.number().min(0).max(168),
  /** Days of CloudWatch history metric-based kinds are judged over (AWS keeps daily data far longer; 14 at least). */
  metricsLookbackDays: z.number().int().min(14).max(455),
  /** Fetched CloudWatch series are reused by scans within this many hours; 0 disables the cache. */
  metricsCacheHours: z.number().min(0).max(168),
  /** Parallel region × type tasks of a scan. */
  scanConcurrency: z.number().int().min(1).max(64),
  theme: z.enum(THEMES),
  /** The profile chosen last (read-only: set by profiles:select). */
  lastProfile: z.string().nullable(),
});

export type SettingsDto = z.infer<typeof settingsSchema>;

/**
 * A partial update; main merges it into the stored settings and returns the result. Besides the app's own keys it
 * takes each resource kind's own settings, flat by key: main accepts only keys a registered kind declares, as numbers
 * within the range it declares.
 */
export const settingsUpdateInput = settingsSchema.omit({ lastProfile: true }).partial().catchall(z.unknown());
