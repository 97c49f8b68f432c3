/** The settings form's values and their validation: the contract's own schema, so the form and main agree on every range. */
import { settingsUpdateInput, type SettingsDto } from '../../../../shared/dto/settings';

/** The app's own settings the form edits; each kind's settings (a stopped instance's age…) come from the kind list. */
export const FORM_KEYS = ['lookbackDays', 'minServiceCost', 'protectionTagKey', 'ceCacheHours', 'metricsLookbackDays', 'metricsCacheHours', 'scanConcurrency'] as const;
export type SettingsFormValues = Pick<SettingsDto, (typeof FORM_KEYS)[number]>;
export type SettingsErrors = Partial<Record<keyof SettingsFormValues, string>>;

export function formOf(s: SettingsDto): SettingsFormValues {
  return Object.fromEntries(FORM_KEYS.map((k) => [k, s[k]])) as SettingsFormValues;
}

/** One message per invalid field (the schema's first), none when the form is valid. */
export function validateSettings(form: SettingsFormValues): SettingsErrors {
  const r = settingsUpdateInput.safeParse(form);
  if (r.success) return {};
  const errors: SettingsErrors = {};
  for (const issue of r.error.issues) {
    const key = issue.path[0] as keyof SettingsFormValues | undefined;
    if (key && !errors[key]) errors[key] = issue.message;
  }
  return errors;
}

/** The CloudWatch settings' labels and descriptions (the ranges are the schema's). */
export const METRICS_FIELDS = {
  metricsLookbackDays: {
    label: 'Metrics lookback (days)',
    description: 'Idle verdicts are judged over this many whole UTC days of CloudWatch data (14–455; at least 14).',
    min: 14,
    max: 455,
  },
  metricsCacheHours: {
    label: 'CloudWatch cache (hours)',
    description: 'Reuse fetched CloudWatch series this long (0–168; 0 = always ask). GetMetricData costs $0.01 per 1,000 metrics requested.',
    min: 0,
    max: 168,
  },
} as const;
