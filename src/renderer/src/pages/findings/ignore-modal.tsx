/**
 * "Ignore…": takes findings out of the totals with a reason, for 7, 30 or 90 days, until a date, or for good; these
 * findings (stored by identity, so a re-scan keeps them ignored) or every finding with one of their tags.
 */
import { useMemo, useState } from 'react';
import { Button, Group, Modal, Radio, SegmentedControl, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ResourceDto } from '../../../../shared/dto/findings';
import { SNOOZE_MAX_DAYS, SNOOZE_REASON_MAX } from '../../../../shared/dto/snooze';
import { useSetSnooze } from '../../api/queries-snooze';
import { ErrorAlert } from '../../components/error-alert';
import { formatCount, formatUsd } from '../../lib/format';
import { dayInput, endAfterDays, endOfDay, ignoredLabel } from './snooze-text';

type Length = '7' | '30' | '90' | 'date' | 'forever';

const LENGTHS: { value: Length; label: string }[] = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: 'date', label: 'Until a date' },
  { value: 'forever', label: 'For good' },
];

/** The tags of the findings, most shared first: "env=dev (3 of 5)". */
function tagChoices(findings: readonly ResourceDto[]): { value: string; label: string }[] {
  const counts = new Map<string, { key: string; value: string; n: number }>();
  for (const f of findings) {
    for (const [key, value] of Object.entries(f.tags)) {
      const id = JSON.stringify([key, value]);
      const c = counts.get(id);
      if (c) c.n++;
      else counts.set(id, { key, value, n: 1 });
    }
  }
  return [...counts.entries()]
    .sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1))
    .map(([id, c]) => ({ value: id, label: findings.length > 1 ? `${c.key}=${c.value} (${c.n} of ${findings.length})` : `${c.key}=${c.value}` }));
}

export function IgnoreModal({ findings, onClose }: { findings: readonly ResourceDto[]; onClose: (ignored: boolean) => void }): React.JSX.Element {
  const [reason, setReason] = useState('');
  const [length, setLength] = useState<Length>('30');
  // The moment the dialog opened: the presets count from it (and render stays pure).
  const [openedAt] = useState(() => new Date());
  const [day, setDay] = useState(() => dayInput(30, openedAt));
  const [scope, setScope] = useState<'finding' | 'tag'>('finding');
  const tags = useMemo(() => tagChoices(findings), [findings]);
  const [tag, setTag] = useState<string | null>(tags[0]?.value ?? null);
  const set = useSetSnooze();

  const until = length === 'forever' ? null : length === 'date' ? endOfDay(day) : endAfterDays(Number(length), openedAt);
  const untilBad = length === 'date' && (until === null || Date.parse(until) <= openedAt.getTime());
  const reasonBad = reason.trim() === '';
  const n = findings.length;
  const savings = findings.reduce((s, f) => s + (f.protected ? 0 : (f.monthlySavings ?? 0)), 0);
  const when = until === null ? (length === 'forever' ? 'for good' : '') : ignoredLabel({ until }).replace(/^Ignored /, '');

  const submit = (): void => {
    if (reasonBad || untilBad) return;
    const common = { reason: reason.trim(), until };
    const parsedTag = scope === 'tag' && tag !== null ? (JSON.parse(tag) as [string, string]) : null;
    const input = parsedTag ? { scope: 'tag' as const, tagKey: parsedTag[0], tagValue: parsedTag[1], ...common } : { scope: 'finding' as const, findingIds: findings.map((f) => f.id), ...common };
    set.mutate(input, {
      onSuccess: (r) => {
        const what = parsedTag ? `every finding tagged ${parsedTag[0]}=${parsedTag[1]} (${formatCount(r.findings)} now)` : `${formatCount(r.findings)} ${r.findings === 1 ? 'finding' : 'findings'}`;
        notifications.show({ color: 'teal', title: 'Ignored', message: `${what}, ${when}. They are left out of the totals.` });
        onClose(true);
      },
    });
  };

  return (
    <Modal opened onClose={() => onClose(false)} title={n === 1 ? 'Ignore this finding' : `Ignore ${formatCount(n)} findings`} size="lg" data-testid="ignore-modal">
      <Stack gap="md">
        <Textarea
          label="Reason"
          description="Shown beside the finding and in exports."
          placeholder="e.g. kept until the migration ends"
          required
          autosize
          minRows={2}
          maxLength={SNOOZE_REASON_MAX}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          data-autofocus
          data-testid="ignore-reason"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            How long
          </Text>
          <SegmentedControl value={length} onChange={(v) => setLength(v as Length)} data={LENGTHS} aria-label="How long" data-testid="ignore-length" />
          {length === 'date' && (
            <TextInput
              type="date"
              label="Last day ignored"
              value={day}
              min={dayInput(0, openedAt)}
              max={dayInput(SNOOZE_MAX_DAYS - 1, openedAt)}
              onChange={(e) => setDay(e.currentTarget.value)}
              error={untilBad ? 'Choose today or a later day' : undefined}
              w={200}
              data-testid="ignore-date"
            />
          )}
          <Text size="xs" c="dimmed" data-testid="ignore-when">
            {length === 'forever' ? 'Until you stop ignoring them.' : until !== null ? `${when}; back in the totals the day after.` : ''}
          </Text>
        </Stack>
        <Radio.Group label="What" value={scope} onChange={(v) => setScope(v as 'finding' | 'tag')} data-testid="ignore-scope">
          <Stack gap="xs" mt={4}>
            <Radio value="finding" label={n === 1 ? 'This finding' : `These ${formatCount(n)} findings`} data-testid="ignore-scope-finding" />
            <Radio
              value="tag"
              disabled={tags.length === 0}
              label={tags.length === 0 ? 'Every finding with a tag (these findings have no tags)' : 'Every finding with this tag, now and in later scans'}
              data-testid="ignore-scope-tag"
            />
            {scope === 'tag' && (
              <Select data={tags} value={tag} onChange={setTag} allowDeselect={false} searchable aria-label="Tag" w={320} ml="xl" data-testid="ignore-tag" />
            )}
          </Stack>
        </Radio.Group>
        {set.isError && <ErrorAlert error={set.error} />}
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" c="dimmed">
            {scope === 'finding' ? `Leaves the totals: ${formatUsd(savings)}/month of potential savings.` : 'Findings with the tag leave the totals.'}
          </Text>
          <Group gap="sm" wrap="nowrap">
            <Button variant="default" onClick={() => onClose(false)}>
              Cancel
            </Button>
            <Button onClick={submit} disabled={reasonBad || untilBad || (scope === 'tag' && tag === null)} loading={set.isPending} data-testid="ignore-confirm">
              Ignore
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
