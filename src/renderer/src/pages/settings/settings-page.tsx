import { useState } from 'react';
import { Button, Card, Group, NumberInput, SegmentedControl, SimpleGrid, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { SettingsDto, Theme } from '../../../../shared/dto/settings';
import { asAppError } from '../../api/client';
import { useKinds } from '../../api/kinds';
import { useSettings, useUpdateSettings } from '../../api/queries';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { kindSettingError, kindSettings, kindSettingValue, type KindSettingOf } from '../../lib/kinds';
import { TeamStoreSection } from './team-store-section';
import { formOf, METRICS_FIELDS, validateSettings, type SettingsFormValues } from './settings-validation';

const num = (v: string | number): number => (typeof v === 'number' ? v : Number.NaN);

function SettingsForm({ initial }: { initial: SettingsDto }): React.JSX.Element {
  const update = useUpdateSettings();
  const [form, setForm] = useState<SettingsFormValues>(() => formOf(initial));
  const [touched, setTouched] = useState(false);
  const kinds = useKinds();
  const kindFields = kindSettings(kinds);
  // Settings are stored flat by key (main's settings schema); a kind setting not stored yet shows the kind's default.
  const stored: Readonly<Record<string, unknown>> = { ...initial };
  const [kindEdits, setKindEdits] = useState<Record<string, number>>({});
  const kindValue = (f: KindSettingOf): number => kindEdits[f.setting.key] ?? kindSettingValue(f.setting, stored);
  const kindErrors = Object.fromEntries(kindFields.flatMap((f) => {
    const e = kindSettingError(f.setting, kindValue(f));
    return e === null ? [] : [[f.setting.key, e] as const];
  }));
  const errors = validateSettings(form);
  const valid = Object.keys(errors).length === 0 && Object.keys(kindErrors).length === 0;
  const set = <K extends keyof SettingsFormValues>(k: K, v: SettingsFormValues[K]): void => {
    setTouched(true);
    setForm((f) => ({ ...f, [k]: v }));
  };
  const err = (k: keyof SettingsFormValues): string | undefined => (touched ? errors[k] : undefined);

  const setKind = (key: string, v: number): void => {
    setTouched(true);
    setKindEdits((prev) => ({ ...prev, [key]: v }));
  };

  const save = (): void =>
    update.mutate({ ...form, ...kindEdits }, {
      onSuccess: () => {
        setTouched(false);
        setKindEdits({});
        notifications.show({ color: 'teal', title: 'Settings saved', message: 'They apply to the next discovery and scan.' });
      },
    });

  const setTheme = (theme: Theme): void =>
    update.mutate({ theme }, { onError: (e) => notifications.show({ color: 'red', title: 'Theme not saved', message: asAppError(e).message }) });

  return (
    <Stack>
      <Card withBorder>
        <Text fw={600} mb="xs">
          Appearance
        </Text>
        <SegmentedControl
          value={initial.theme}
          onChange={(v) => setTheme(v as Theme)}
          data={[
            { value: 'light', label: 'Light' },
            { value: 'dark', label: 'Dark' },
            { value: 'system', label: 'System' },
          ]}
          aria-label="Theme"
          data-testid="theme"
        />
      </Card>
      <Card withBorder>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
            if (valid) save();
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput label="Cost lookback (days)" description="Days of cost history discovery asks Cost Explorer for (1–395)." min={1} max={395} allowDecimal={false} value={form.lookbackDays} onChange={(v) => set('lookbackDays', num(v))} error={err('lookbackDays')} data-testid="setting-lookbackDays" />
            <NumberInput label="Minimum service cost (USD)" description="Services that cost less over the period are hidden." min={0} max={1_000_000} decimalScale={4} value={form.minServiceCost} onChange={(v) => set('minServiceCost', num(v))} error={err('minServiceCost')} data-testid="setting-minServiceCost" />
            <TextInput label="Protection tag key" description="Resources tagged with this key (any value but false) are never deleted." value={form.protectionTagKey} onChange={(e) => set('protectionTagKey', e.currentTarget.value)} error={err('protectionTagKey')} data-testid="setting-protectionTagKey" />
            <NumberInput label="Cost Explorer cache (hours)" description="Reuse Cost Explorer answers this long (0–168; 0 = always ask, $0.01 a request)." min={0} max={168} value={form.ceCacheHours} onChange={(v) => set('ceCacheHours', num(v))} error={err('ceCacheHours')} data-testid="setting-ceCacheHours" />
            <NumberInput label={METRICS_FIELDS.metricsLookbackDays.label} description={METRICS_FIELDS.metricsLookbackDays.description} min={METRICS_FIELDS.metricsLookbackDays.min} max={METRICS_FIELDS.metricsLookbackDays.max} allowDecimal={false} value={form.metricsLookbackDays} onChange={(v) => set('metricsLookbackDays', num(v))} error={err('metricsLookbackDays')} data-testid="setting-metricsLookbackDays" />
            <NumberInput label={METRICS_FIELDS.metricsCacheHours.label} description={METRICS_FIELDS.metricsCacheHours.description} min={METRICS_FIELDS.metricsCacheHours.min} max={METRICS_FIELDS.metricsCacheHours.max} value={form.metricsCacheHours} onChange={(v) => set('metricsCacheHours', num(v))} error={err('metricsCacheHours')} data-testid="setting-metricsCacheHours" />
            <NumberInput label="Scan concurrency" description="Region × resource-type tasks at once (1–64)." min={1} max={64} allowDecimal={false} value={form.scanConcurrency} onChange={(v) => set('scanConcurrency', num(v))} error={err('scanConcurrency')} data-testid="setting-scanConcurrency" />
          </SimpleGrid>
          {kindFields.length > 0 && (
            <>
              <Title order={5} mt="lg" mb="xs">
                Resource kinds
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                {kindFields.map((f) => (
                  <NumberInput
                    key={f.setting.key}
                    label={`${f.kind.label}: ${f.setting.label}`}
                    description={`${f.setting.description} (${f.setting.min}–${f.setting.max}${f.setting.unit ? ` ${f.setting.unit}` : ''})`}
                    {...(f.setting.unit ? { suffix: ` ${f.setting.unit}` } : {})}
                    min={f.setting.min}
                    max={f.setting.max}
                    allowDecimal={f.setting.type !== 'integer'}
                    value={kindValue(f)}
                    onChange={(v) => setKind(f.setting.key, num(v))}
                    error={touched ? kindErrors[f.setting.key] : undefined}
                    data-testid={`setting-${f.setting.key}`}
                  />
                ))}
              </SimpleGrid>
            </>
          )}
          {update.isError && (
            <div style={{ marginTop: 12 }}>
              <ErrorAlert error={update.error} />
            </div>
          )}
          <Group justify="flex-end" mt="md">
            <Button type="submit" disabled={!valid || !touched} loading={update.isPending} data-testid="save-settings">
              Save
            </Button>
          </Group>
        </form>
      </Card>
    </Stack>
  );
}

export function SettingsPage(): React.JSX.Element {
  const settings = useSettings();
  return (
    <>
      <PageHeader title="Settings" description="Stored in the local database; they apply to this computer only." />
      {settings.isPending && <Skeleton h={300} />}
      {settings.isError && <ErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />}
      {settings.data && <SettingsForm initial={settings.data} />}
      <div style={{ marginTop: 16 }}>
        <TeamStoreSection />
      </div>
    </>
  );
}
