import { describe, expect, it } from 'vitest';
import type { SettingsDto } from '../../../../shared/dto/settings';
import { formOf, METRICS_FIELDS, validateSettings, type SettingsFormValues } from './settings-validation';

const SETTINGS: SettingsDto = {
  lookbackDays: 90,
  minServiceCost: 1,
  stoppedInstanceDays: 30,
  protectionTagKey: 'keep',
  ceCacheHours: 12,
  metricsLookbackDays: 30,
  metricsCacheHours: 12,
  scanConcurrency: 32,
  theme: 'system',
  lastProfile: null,
};
const form = (p: Partial<SettingsFormValues>): SettingsFormValues => ({ ...formOf(SETTINGS), ...p });

describe('the settings form', () => {
  it('edits the CloudWatch settings with the others (not the theme or the last profile)', () => {
    expect(formOf(SETTINGS)).toEqual({ lookbackDays: 90, minServiceCost: 1, protectionTagKey: 'keep', ceCacheHours: 12, metricsLookbackDays: 30, metricsCacheHours: 12, scanConcurrency: 32 });
    expect(validateSettings(formOf(SETTINGS))).toEqual({});
  });

  it('metrics lookback: whole days, 14 to 455', () => {
    for (const ok of [14, 30, 455]) expect(validateSettings(form({ metricsLookbackDays: ok }))).toEqual({});
    for (const bad of [13, 0, 456, 30.5, Number.NaN]) {
      const e = validateSettings(form({ metricsLookbackDays: bad }));
      expect(Object.keys(e), String(bad)).toEqual(['metricsLookbackDays']);
    }
  });

  it('CloudWatch cache: 0 to 168 hours (0 disables it)', () => {
    for (const ok of [0, 0.5, 12, 168]) expect(validateSettings(form({ metricsCacheHours: ok }))).toEqual({});
    for (const bad of [-1, 168.5, 1000, Number.NaN]) {
      const e = validateSettings(form({ metricsCacheHours: bad }));
      expect(Object.keys(e), String(bad)).toEqual(['metricsCacheHours']);
    }
  });

  it('reports each invalid field once', () => {
    const e = validateSettings(form({ metricsLookbackDays: 1, metricsCacheHours: -1, scanConcurrency: 0 }));
    expect(Object.keys(e).sort()).toEqual(['metricsCacheHours', 'metricsLookbackDays', 'scanConcurrency']);
    expect(e.metricsLookbackDays).toBeTypeOf('string');
  });

  it('labels say what each CloudWatch setting does and what it costs', () => {
    expect(METRICS_FIELDS.metricsLookbackDays.label).toBe('Metrics lookback (days)');
    expect(METRICS_FIELDS.metricsLookbackDays.description).toMatch(/whole UTC days/);
    expect(METRICS_FIELDS.metricsLookbackDays.description).toMatch(/at least 14/);
    expect(METRICS_FIELDS.metricsCacheHours.label).toBe('CloudWatch cache (hours)');
    expect(METRICS_FIELDS.metricsCacheHours.description).toMatch(/\$0\.01 per 1,000 metrics requested/);
  });
});
