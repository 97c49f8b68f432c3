import { Fragment, useState } from 'react';
import { Badge, Button, EmptyState, Group, Pagination, SegmentedControl, Skeleton, Table, Text, Tooltip } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { DeletionPlanDto } from '../../../../shared/dto/cleanup';
import { api } from '../../api/client';
import { useKinds } from '../../api/kinds';
import { useAccountId } from '../../api/queries';
import { queryKeys } from '../../api/query-keys';
import { copyText } from '../../components/copy-text';
import { ErrorAlert } from '../../components/error-alert';
import { RelativeDate } from '../../components/relative-date';
import { formatCount, formatUsd } from '../../lib/format';
import type { KindList } from '../../lib/kinds';
import { DeletionPlanDetail } from './deletion-plan-detail';
import { planColor, planKind, planLabel, planOutcomeSummary, planSteps } from './deletion-plan-words';
import { DeletionsAuditLog } from './deletions-audit-log';

const PAGE = 20;
/** The newest plan opens by itself (what the user just ran), unless it is too long to read at a glance. */
const OPEN_NEWEST_UP_TO = 25;

function CopyPlanId({ planId }: { planId: string }): React.JSX.Element {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <Tooltip label={copied === null ? `Plan ${planId}: copy its id` : copied ? 'Copied' : 'Could not copy'} withArrow>
      <Button
        size="compact-xs"
        variant="subtle"
        color="gray"
        aria-label={`Copy plan id ${planId}`}
        data-testid="deletion-plan-copy"
        onClick={() =>
          void copyText(planId).then((ok) => {
            setCopied(ok);
            window.setTimeout(() => setCopied(null), 1500);
          })
        }
      >
        Copy id
      </Button>
    </Tooltip>
  );
}

/** What a plan saved: what ran (known savings), or, for a dry run, what it would save. */
function Savings({ plan }: { plan: DeletionPlanDto }): React.JSX.Element {
  if (plan.executedAt === null) {
    return (
      <Text size="sm" c="dimmed" data-testid="deletion-plan-savings">
        {plan.plannedSavings === null ? '—' : `would save ${formatUsd(plan.plannedSavings)}`}
      </Text>
    );
  }
  const unknown = plan.unknownSavingsCount > 0 ? ` + ${plan.unknownSavingsCount} unknown` : '';
  return (
    <Text size="sm" ff="monospace" data-testid="deletion-plan-savings">
      {plan.counts.done === 0 ? '—' : `${formatUsd(plan.realisedSavings)}${unknown}`}
    </Text>
  );
}

function PlanRow({ kinds, plan, open, onToggle, onOpenLog }: { kinds: KindList; plan: DeletionPlanDto; open: boolean; onToggle: () => void; onOpenLog: (id: string) => void }): React.JSX.Element {
  return (
    <Fragment>
      <Table.Tr data-testid="deletion-plan" data-plan-id={plan.planId} data-kind={planKind(plan)} data-status={plan.status ?? 'unknown'}>
        <Table.Td>
          <Button
            size="compact-sm"
            variant="subtle"
            onClick={onToggle}
            aria-expanded={open}
            data-testid="deletion-plan-toggle"
            title={`Plan ${plan.planId}`}
            styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
            h="auto"
          >
            {open ? '▾' : '▸'} {planLabel(plan)}
          </Button>
          <Group gap={4} wrap="nowrap">
            <Text size="xs" c="dimmed" data-testid="deletion-plan-steps">
              {planSteps(plan)}
            </Text>
            <CopyPlanId planId={plan.planId} />
          </Group>
        </Table.Td>
        <Table.Td>
          <RelativeDate iso={plan.lastAt} size="sm" />
        </Table.Td>
        <Table.Td>
          <Group gap={6} wrap="nowrap" align="flex-start">
            <Badge circle size="xs" color={planColor(plan)} mt={4} aria-hidden />
            <Text size="sm" data-testid="deletion-plan-outcome">
              {planOutcomeSummary(kinds, plan.items)}
            </Text>
          </Group>
        </Table.Td>
        <Table.Td ta="right">
          <Savings plan={plan} />
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr>
          <Table.Td colSpan={4} bg="var(--mantine-color-default-hover)">
            <DeletionPlanDetail plan={plan} onOpenLog={onOpenLog} />
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

/** The deletion history by plan, newest first: one entry per plan, its dry run and execute as steps. */
function DeletionPlans({ onOpenLog }: { onOpenLog: (planId: string) => void }): React.JSX.Element {
  const accountId = useAccountId();
  const kinds = useKinds();
  const [page, setPage] = useState(1);
  // Plans opened or closed by the user; the newest plan of the first page is open until the user closes it.
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(new Map());
  const q = useQuery({
    queryKey: queryKeys.deletionPlans(accountId, page),
    queryFn: () => api().deletions.plans({ limit: PAGE, offset: (page - 1) * PAGE }),
    placeholderData: keepPreviousData,
  });
  if (q.isPending) return <Skeleton h={160} />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  if (q.data.rows.length === 0) {
    return <EmptyState title="No cleanup yet" description="Each cleanup plan is listed here with its dry run, what it changed and every AWS call it made." />;
  }
  const pages = Math.max(1, Math.ceil(q.data.total / PAGE));
  const newest = page === 1 ? q.data.rows[0] : undefined;
  const isOpen = (p: DeletionPlanDto): boolean => toggled.get(p.planId) ?? (p === newest && p.itemCount <= OPEN_NEWEST_UP_TO);
  return (
    <>
      <Text size="sm" c="dimmed" mb="xs">
        {formatCount(q.data.total)} cleanup plan{q.data.total === 1 ? '' : 's'}, newest first
      </Text>
      <Table.ScrollContainer minWidth={760}>
        <Table data-testid="deletions-history" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Plan</Table.Th>
              <Table.Th w={120}>Last activity</Table.Th>
              <Table.Th>Outcome</Table.Th>
              <Table.Th ta="right" w={150}>
                Saved / month
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.rows.map((p) => (
              <PlanRow
                key={p.planId}
                kinds={kinds}
                plan={p}
                open={isOpen(p)}
                onToggle={() => setToggled(new Map(toggled).set(p.planId, !isOpen(p)))}
                onOpenLog={onOpenLog}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pages > 1 && <Pagination mt="sm" total={pages} value={page} onChange={setPage} />}
    </>
  );
}

/** History → Deletions: by plan (the default), or the full audit log call by call. */
export function DeletionsHistory(): React.JSX.Element {
  const [view, setView] = useState<'plans' | 'calls'>('plans');
  const [logPlan, setLogPlan] = useState('');
  return (
    <>
      <SegmentedControl
        mb="sm"
        size="xs"
        value={view}
        onChange={(v) => setView(v === 'calls' ? 'calls' : 'plans')}
        data={[
          { value: 'plans', label: 'By plan' },
          { value: 'calls', label: 'Every call (audit log)' },
        ]}
        data-testid="deletions-view"
      />
      {view === 'plans' ? (
        <DeletionPlans
          onOpenLog={(id) => {
            setLogPlan(id);
            setView('calls');
          }}
        />
      ) : (
        <DeletionsAuditLog key={logPlan} initialPlanId={logPlan} />
      )}
    </>
  );
}
