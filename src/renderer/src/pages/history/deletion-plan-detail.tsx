import { Fragment } from 'react';
import { Alert, Anchor, Badge, Skeleton, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { DeletionDto, DeletionPlanDto, DeletionPlanItemDto } from '../../../../shared/dto/cleanup';
import { api } from '../../api/client';
import { useKinds } from '../../api/kinds';
import { useAccountId } from '../../api/queries';
import { queryKeys } from '../../api/query-keys';
import { ErrorAlert } from '../../components/error-alert';
import { Money } from '../../components/money';
import { formatAbsolute, formatCount } from '../../lib/format';
import { kindNoun, type KindList } from '../../lib/kinds';
import { OUTCOME_COLOR } from './deletions-audit-log';
import { ITEM_OUTCOME_COLOR, formatCallTime, itemOutcomeWord } from './deletion-plan-words';

/** The calls of one plan fetched at once; a larger plan links to its full log. */
const CALLS_LIMIT = 1000;

const keyOf = (t: string, region: string, id: string): string => `${t}\u0000${region}\u0000${id}`;

/**
 * Which run a call belongs to, by the rule main groups with: the plan's dry run (before it ended), or its execute
 * (after, or a real call), whose own re-verification is a dry-run call too.
 */
function stepOf(plan: DeletionPlanDto, c: DeletionDto): string {
  const inExecute = !c.dryRun || (plan.dryRun !== null && c.requestedAt > plan.dryRun.at);
  if (!inExecute) return 'Dry run';
  return c.dryRun ? 'Execute · verify' : 'Execute';
}

/** What a call's row keeps that matters later: a safety snapshot, a scheduled deletion date, the error. */
function callNotes(c: DeletionDto): string[] {
  const d = c.details;
  const notes: string[] = [];
  if (typeof d['snapshotId'] === 'string') notes.push(`snapshot ${d['snapshotId']} kept`);
  if (typeof d['deletionDate'] === 'string') notes.push(`restorable until ${formatAbsolute(d['deletionDate'])}`);
  if (typeof d['note'] === 'string') notes.push(d['note']);
  if (c.errorCode || c.errorMessage) notes.push([c.errorCode, c.errorMessage].filter(Boolean).join(': '));
  return notes;
}

function Calls({ plan, calls, truncated }: { plan: DeletionPlanDto; calls: readonly DeletionDto[]; truncated: boolean }): React.JSX.Element {
  if (calls.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        {truncated ? 'Its calls are older than the ones loaded: see every call of this plan.' : 'No audited call: the run ended before it reached this item.'}
      </Text>
    );
  }
  return (
    <Table withRowBorders={false} verticalSpacing={2} fz="xs" data-testid="deletion-calls">
      <Table.Tbody>
        {calls.map((c) => (
          <Table.Tr key={c.id} data-testid="deletion-call" data-resource-id={c.resourceId} data-outcome={c.outcome} data-dry-run={c.dryRun}>
            <Table.Td w={80} c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              <time dateTime={c.requestedAt} title={formatAbsolute(c.requestedAt)}>
                {formatCallTime(c.requestedAt)}
              </time>
            </Table.Td>
            <Table.Td w={120} style={{ whiteSpace: 'nowrap' }}>
              {stepOf(plan, c)}
            </Table.Td>
            {/* AWS's request id on hover: what matches the call with CloudTrail or a support case. */}
            <Table.Td title={typeof c.details['requestId'] === 'string' ? `AWS request id ${c.details['requestId']}` : undefined}>
              <Text span size="xs" ff="monospace">
                {c.action}
              </Text>
              {c.target !== c.resourceId && (
                <Text span size="xs" c="dimmed">
                  {' '}
                  {c.target}
                </Text>
              )}
              {c.dryRun && c.action !== 'CheckPermissions' && (
                <Text span size="xs" c="dimmed">
                  {' '}
                  (dry run)
                </Text>
              )}
            </Table.Td>
            <Table.Td w={110}>
              <Badge size="xs" color={OUTCOME_COLOR[c.outcome]} variant="light" style={{ minWidth: 'max-content' }}>
                {c.outcome}
              </Badge>
            </Table.Td>
            <Table.Td>
              <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {callNotes(c).join(' · ')}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

interface ItemRowProps {
  kinds: KindList;
  item: DeletionPlanItemDto;
  plan: DeletionPlanDto;
  /** Null while loading. */
  calls: readonly DeletionDto[] | null;
  truncated: boolean;
}

function ItemRow({ kinds, item, plan, calls, truncated }: ItemRowProps): React.JSX.Element {
  return (
    <Fragment>
      <Table.Tr data-testid="deletion-item" data-item-id={item.resourceId} data-item-outcome={item.outcome}>
        <Table.Td>
          <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
            {item.resourceId}
          </Text>
          <Text size="xs" c="dimmed">
            {[item.name, kindNoun(kinds, item.resourceType), item.region].filter(Boolean).join(' · ')}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm">{item.actionLabel ?? item.action ?? '—'}</Text>
        </Table.Td>
        <Table.Td>
          <Badge color={ITEM_OUTCOME_COLOR[item.outcome]} variant="light" style={{ minWidth: 'max-content' }} data-testid="deletion-item-outcome">
            {itemOutcomeWord(kinds, item)}
          </Badge>
          {item.message && (
            <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {item.errorCode ? `${item.errorCode}: ` : ''}
              {item.message}
            </Text>
          )}
        </Table.Td>
        <Table.Td ta="right">
          <Money value={item.savings} size="sm" />
        </Table.Td>
      </Table.Tr>
      <Table.Tr>
        <Table.Td colSpan={4} pl="xl" pt={0} style={{ borderTop: 0 }}>
          {calls === null ? <Skeleton h={20} /> : <Calls plan={plan} calls={calls} truncated={truncated} />}
        </Table.Td>
      </Table.Tr>
    </Fragment>
  );
}

/** An opened plan: its items (resource, kind, action, outcome, savings) and, below each, its audited calls. */
export function DeletionPlanDetail({ plan, onOpenLog }: { plan: DeletionPlanDto; onOpenLog: (planId: string) => void }): React.JSX.Element {
  const accountId = useAccountId();
  const kinds = useKinds();
  const q = useQuery({
    queryKey: queryKeys.deletionPlanCalls(accountId, plan.planId),
    queryFn: () => api().deletions.list({ planId: plan.planId, limit: CALLS_LIMIT, offset: 0 }),
  });
  const truncated = q.data !== undefined && q.data.total > q.data.rows.length;
  const byItem = new Map<string, DeletionDto[]>();
  // Oldest first under each item: the calls in the order they were made.
  for (const c of [...(q.data?.rows ?? [])].reverse()) {
    const k = keyOf(c.resourceType, c.region, c.resourceId);
    byItem.set(k, [...(byItem.get(k) ?? []), c]);
  }
  return (
    <>
      {q.isError && <ErrorAlert error={q.error} />}
      {q.data && truncated && (
        <Alert color="gray" mb="xs" p="xs">
          <Text size="xs">
            The latest {formatCount(q.data.rows.length)} of {formatCount(q.data.total)} calls are shown.{' '}
            <Anchor component="button" size="xs" onClick={() => onOpenLog(plan.planId)}>
              Every call of this plan
            </Anchor>
          </Text>
        </Alert>
      )}
      <Table verticalSpacing={4} data-testid="deletion-plan-items">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Resource</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th ta="right">Savings / month</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {plan.items.map((it) => (
            <ItemRow
              key={keyOf(it.resourceType, it.region, it.resourceId)}
              kinds={kinds}
              item={it}
              plan={plan}
              calls={q.data ? (byItem.get(keyOf(it.resourceType, it.region, it.resourceId)) ?? []) : null}
              truncated={truncated}
            />
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
