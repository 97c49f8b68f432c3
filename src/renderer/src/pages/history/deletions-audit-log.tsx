import { useState } from 'react';
import { Badge, Code, EmptyState, Group, Pagination, Skeleton, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { DeletionOutcome } from '../../../../shared/dto/cleanup';
import { api } from '../../api/client';
import { useKinds } from '../../api/kinds';
import { useAccountId } from '../../api/queries';
import { queryKeys } from '../../api/query-keys';
import { ErrorAlert } from '../../components/error-alert';
import { RelativeDate } from '../../components/relative-date';
import { formatCount } from '../../lib/format';
import { kindNoun } from '../../lib/kinds';

const PAGE = 50;
export const OUTCOME_COLOR: Record<DeletionOutcome, string> = {
  pending: 'blue',
  succeeded: 'teal',
  'dry-run-ok': 'cyan',
  unauthorized: 'red',
  refused: 'orange',
  failed: 'red',
};

/**
 * The audit log, call by call: every mutating AWS call the app made (dry runs included), newest first, filterable by
 * plan (`initialPlanId`: opened from a plan of the history).
 */
export function DeletionsAuditLog({ initialPlanId = '' }: { initialPlanId?: string }): React.JSX.Element {
  const accountId = useAccountId();
  const kinds = useKinds();
  const [planInput, setPlanInput] = useState(initialPlanId);
  const [planId] = useDebouncedValue(planInput.trim(), 250);
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: queryKeys.deletions(accountId, planId || null, page),
    queryFn: () => api().deletions.list({ ...(planId ? { planId } : {}), limit: PAGE, offset: (page - 1) * PAGE }),
    placeholderData: keepPreviousData,
  });
  const pages = q.data ? Math.max(1, Math.ceil(q.data.total / PAGE)) : 1;

  return (
    <>
      <Group mb="sm" align="flex-end">
        <TextInput
          label="Plan"
          placeholder="plan id (click one below)"
          value={planInput}
          onChange={(e) => {
            setPlanInput(e.currentTarget.value);
            setPage(1);
          }}
          w={320}
          data-testid="deletions-plan-filter"
        />
        {q.data && (
          <Text size="sm" c="dimmed">
            {formatCount(q.data.total)} audited calls
          </Text>
        )}
      </Group>
      {q.isPending && <Skeleton h={160} />}
      {q.isError && <ErrorAlert error={q.error} />}
      {q.data && q.data.rows.length === 0 && <EmptyState title="No deletions yet" description="Deletions (and their dry runs) are recorded here, call by call." />}
      {q.data && q.data.rows.length > 0 && (
        <Table.ScrollContainer minWidth={860}>
          <Table highlightOnHover data-testid="deletions-audit-log">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Plan</Table.Th>
                <Table.Th>Resource</Table.Th>
                <Table.Th>Region</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Outcome</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.rows.map((d) => (
                <Table.Tr key={d.id} data-resource-id={d.resourceId} data-outcome={d.outcome} data-dry-run={d.dryRun}>
                  <Table.Td>
                    <RelativeDate iso={d.requestedAt} size="sm" />
                  </Table.Td>
                  <Table.Td>
                    <Code
                      component="button"
                      onClick={() => {
                        setPlanInput(d.planId);
                        setPage(1);
                      }}
                      title="Show only this plan"
                      style={{ cursor: 'pointer', border: 0 }}
                    >
                      {d.planId.slice(0, 8)}
                    </Code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {d.resourceId}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {kindNoun(kinds, d.resourceType)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{d.region}</Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {d.action}
                      {d.dryRun ? ' (dry run)' : ''}
                    </Text>
                    {d.target !== d.resourceId && (
                      <Text size="xs" c="dimmed">
                        {d.target}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={OUTCOME_COLOR[d.outcome]} variant="light">
                      {d.outcome}
                    </Badge>
                    {(d.errorCode || d.errorMessage) && (
                      <Text size="xs" c="dimmed">
                        {d.errorCode}: {d.errorMessage}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages > 1 && <Pagination mt="sm" total={pages} value={page} onChange={setPage} />}
    </>
  );
}
