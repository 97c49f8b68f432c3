import { useState } from 'react';
import { Alert, Badge, Button, Code, Drawer, Group, List, ScrollArea, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { activityOf } from '../../../../shared/dto/metrics';
import { api, asAppError } from '../../api/client';
import { useKinds } from '../../api/kinds';
import { queryKeys } from '../../api/query-keys';
import { ErrorAlert } from '../../components/error-alert';
import { Money } from '../../components/money';
import { PartsList } from '../../components/parts-list';
import { RelativeDate, UNKNOWN_SINCE_HINT, UnusedSince } from '../../components/relative-date';
import { detailRows } from '../../lib/detail-fields';
import { findKind, kindConsoleUrl, kindNoun } from '../../lib/kinds';
import { keptPartsCost } from '../../lib/parts';
import { useRemoveSnooze } from '../../api/queries-snooze';
import { IgnoreModal } from './ignore-modal';
import { MetricsSection } from './metrics-section';
import { ignoredLabel, scopeText } from './snooze-text';

function Field({ label, children, testId, dataKey }: { label: string; children: React.ReactNode; testId?: string; dataKey?: string }): React.JSX.Element {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" data-testid={testId} data-key={dataKey}>
      <Text size="sm" c="dimmed" w={130} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <div>{children}</div>
    </Group>
  );
}

/** Everything known about one finding: why it is unused, what it costs and why, what goes with it. */
export function FindingDrawer({ id, onClose }: { id: number | null; onClose: () => void }): React.JSX.Element {
  const q = useQuery({ queryKey: queryKeys.resource(id ?? 0), queryFn: () => api().resources.get({ id: id ?? 0 }), enabled: id !== null });
  const r = q.data;
  const kinds = useKinds();
  const url = r ? kindConsoleUrl(kinds, r.resourceType, r.region, r.resourceId) : null;
  // The kind's own fields ("Size 100 GiB", "Encrypted Yes"); a missing value reads "unknown", never blank or 0.
  const activity = r ? activityOf(r.details) : null;
  // The CloudWatch activity has its own section: it is not a generic detail, in the list or in the raw JSON.
  const details = r ? detailRows(findKind(kinds, r.resourceType)?.detailFields ?? [], r.details).filter((d) => !(activity && d.key === 'metrics')) : [];
  const rawDetails = r && activity ? Object.fromEntries(Object.entries(r.details).filter(([k]) => k !== 'metrics')) : r?.details;
  const open = async (): Promise<void> => {
    if (!url) return;
    try {
      await api().shell.openExternal({ url });
    } catch (e) {
      notifications.show({ color: 'red', title: 'Could not open the AWS console', message: asAppError(e).message });
    }
  };
  const tags = r ? Object.entries(r.tags) : [];
  const nearMisses = r?.protectionNearMisses ?? [];
  const kept = keptPartsCost(r?.related ?? []);
  const [ignoring, setIgnoring] = useState(false);
  const unsnooze = useRemoveSnooze();
  const stopIgnoring = (id: number): void =>
    unsnooze.mutate(id, { onError: (e) => notifications.show({ color: 'red', title: 'Could not stop ignoring', message: asAppError(e).message }) });

  return (
    <Drawer opened={id !== null} onClose={onClose} position="right" size="lg" title={r ? <Title order={4}>{r.name ?? r.resourceId}</Title> : 'Finding'} scrollAreaComponent={ScrollArea.Autosize} data-testid="finding-drawer">
      {q.isPending && id !== null && <Skeleton h={240} />}
      {q.isError && <ErrorAlert error={q.error} />}
      {r && (
        <Stack gap="sm">
          <Group gap="xs">
            <Badge variant="light">{kindNoun(kinds, r.resourceType)}</Badge>
            <Badge variant="outline">{r.region}</Badge>
            {r.protected && <Badge color="grape">protected</Badge>}
            {r.status !== 'active' && <Badge color="gray">{r.status}</Badge>}
            {r.snooze && <Badge color="yellow">ignored</Badge>}
          </Group>
          {r.snooze ? (
            <Alert color="yellow" title={ignoredLabel(r.snooze)} data-testid="drawer-ignored">
              <Stack gap={6}>
                <Text size="sm" data-testid="drawer-ignored-reason">
                  {r.snooze.reason}
                </Text>
                <Text size="xs" c="dimmed">
                  Covers {scopeText(r.snooze)}. Left out of the totals and of cleanup plans until then.
                </Text>
                <Group>
                  <Button size="compact-sm" variant="light" color="yellow" loading={unsnooze.isPending} onClick={() => stopIgnoring(r.snooze!.id)} data-testid="drawer-stop-ignoring">
                    {r.snooze.scope === 'tag' ? `Stop ignoring every finding tagged ${r.snooze.tagKey ?? ''}=${r.snooze.tagValue ?? ''}` : 'Stop ignoring'}
                  </Button>
                  {r.snooze.scope === 'finding' && (
                    <Button size="compact-sm" variant="subtle" onClick={() => setIgnoring(true)} data-testid="drawer-ignore">
                      Change…
                    </Button>
                  )}
                </Group>
              </Stack>
            </Alert>
          ) : (
            r.status === 'active' &&
            r.unused && (
              <Group>
                <Button size="compact-sm" variant="default" onClick={() => setIgnoring(true)} data-testid="drawer-ignore">
                  Ignore…
                </Button>
              </Group>
            )
          )}
          <Field label="Resource id">
            <Code>{r.resourceId}</Code>
          </Field>
          <Field label="State">
            {r.state ?? (
              <Text size="sm" c="dimmed" fs="italic">
                unknown
              </Text>
            )}
          </Field>
          <Field label="Why unused">
            <Text size="sm">{r.unusedReason ?? '—'}</Text>
          </Field>
          <Field label="Unused since">
            <UnusedSince iso={r.unusedSince} size="sm" />
            {r.unusedSince === null && (
              <Text size="xs" c="dimmed">
                {UNKNOWN_SINCE_HINT}.
              </Text>
            )}
          </Field>
          <Field label="Monthly cost">
            <Money value={r.monthlyCost} fw={700} data-testid="drawer-cost" />
            <Text size="xs" c="dimmed">
              {r.costBasis}
            </Text>
          </Field>
          <Field label="Saves if deleted">
            <Money value={r.monthlySavings} fw={700} c={r.monthlySavings === null ? undefined : 'teal'} data-testid="drawer-savings" />
            <Text size="xs" c="dimmed">
              Itself and the parts removed with it
              {kept.count > 0 ? (
                <>
                  ; the parts that stay keep billing <Money value={kept.cost} size="xs" suffix="/month" data-testid="drawer-kept-cost" />
                  {kept.unknown > 0 ? ` (+ ${kept.unknown} of unknown cost)` : ''}
                </>
              ) : null}
              .
            </Text>
          </Field>
          {r.protected && (
            <Field label="Protected">
              <Text size="sm">{r.protectedReason ?? 'yes'}</Text>
            </Field>
          )}
          {nearMisses.length > 0 && (
            <Alert color="yellow" title="Not protected by these tags" data-testid="protection-near-misses">
              <List size="sm" spacing={2}>
                {nearMisses.map((m) => (
                  <List.Item key={`${m.key}=${m.value}`} data-testid="near-miss" data-tag-key={m.key}>
                    Tag <Code>{m.value ? `${m.key}=${m.value}` : m.key}</Code> looks like the protection tag but does not protect: {m.why}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
          <Field label="Created">
            <RelativeDate iso={r.createdAt} size="sm" nullText="unknown" nullHint="AWS reports no creation time for this resource type" />
          </Field>
          <Field label="First / last seen">
            <Text size="sm">
              <RelativeDate iso={r.firstSeen} size="sm" /> / <RelativeDate iso={r.lastSeen} size="sm" />
            </Text>
          </Field>
          {url && (
            <Group>
              <Button variant="light" onClick={() => void open()} data-testid="open-console">
                Open in the AWS console
              </Button>
            </Group>
          )}
          {activity && <MetricsSection activity={activity} />}
          <Title order={5} mt="sm">
            Removed with it / stays
          </Title>
          <PartsList parts={r.related} emptyText="Nothing else is affected." testId="related" />
          <Title order={5} mt="sm">
            Tags
          </Title>
          {tags.length === 0 ? (
            <Text size="sm" c="dimmed">
              No tags.
            </Text>
          ) : (
            <Table withTableBorder withColumnBorders>
              <Table.Tbody>
                {tags.map(([k, v]) => (
                  <Table.Tr key={k}>
                    <Table.Td ff="monospace">{k}</Table.Td>
                    <Table.Td ff="monospace">{v}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Title order={5} mt="sm">
            Details
          </Title>
          {details.length > 0 && (
            <Stack gap={4} data-testid="detail-fields">
              {details.map((d) => (
                <Field key={d.key} label={d.label} testId="detail-field" dataKey={d.key}>
                  <Text size="sm" c={d.unknown ? 'dimmed' : undefined} fs={d.unknown ? 'italic' : undefined} style={{ overflowWrap: 'anywhere' }} data-unknown={d.unknown ? 'true' : undefined}>
                    {d.text}
                  </Text>
                </Field>
              ))}
            </Stack>
          )}
          {/* The raw JSON stays available, collapsed: what the kind declared above is what a person reads. */}
          <details data-testid="raw-details">
            <summary style={{ cursor: 'pointer' }}>
              <Text span size="sm" c="dimmed">
                Raw details
              </Text>
            </summary>
            {/* Wrapped: the drawer scrolls vertically only, and a long line must not widen it (and push the costs out of view). */}
            <Code block mt="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {JSON.stringify(rawDetails, null, 2)}
            </Code>
          </details>
        </Stack>
      )}
      {ignoring && r && <IgnoreModal findings={[r]} onClose={() => setIgnoring(false)} />}
    </Drawer>
  );
}
