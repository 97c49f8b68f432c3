import { z } from 'zod';

export const THEMES = ['light', 'dark', 'system'] as const;
export type Theme = (typeof THEMES)[number];

export interface SettingsDto {
  /** The profile chosen last (read-only: set by profiles:select). */
  lastProfile: string | null;
  /** Days of cost history discovery asks for. */
  lookbackDays: number;
  /** USD over the period for a service to count as active. */
  minServiceCost: number;
  /** An instance is flagged only when stopped at least this many days ago. */
  stoppedInstanceDays: number;
  /** Tag key that protects a resource from cleanup. */
  protectionTagKey: string;
  /** Cost Explorer cache window; 0 disables the cache. */
  ceCacheHours: number;
  /** Parallel region × type tasks of a scan. */
  scanConcurrency: number;
  theme: Theme;
}

/** A partial update; main merges it into the stored settings and returns the result. */
export const settingsUpdateInput = z
  .strictObject({
    lookbackDays: z.number().int().min(1).max(395),
    minServiceCost: z.number().min(0).max(1_000_000),
    stoppedInstanceDays: z.number().int().min(1).max(3650),
    protectionTagKey: z.string().trim().min(1).max(128),
    ceCacheHours: z.number().min(0).max(168),
    scanConcurrency: z.number().int().min(1).max(64),
    theme: z.enum(THEMES),
  })
  .partial();
