import { Alert, Badge, Checkbox, Code, Group, List, Table, Text } from '@mantine/core';
import type { CleanupPlanDto } from '../../../../shared/dto/cleanup';
import { Money } from '../../components/money';
import { formatResourceType } from '../../lib/format';

interface PlanReviewProps {
  plan: CleanupPlanDto;
  hasVolumes: boolean;
  snapshotVolumes: boolean;
  onSnapshotVolumes: (v: boolean) => void;
}

/** The plan as main made it: every item in deletion order, what goes with it, and what was refused already. */
export function PlanReview({ plan, hasVolumes, snapshotVolumes, onSnapshotVolumes }: PlanReviewProps): React.JSX.Element {
  return (
    <>
      <Group justify="space-between" mb="xs">
        <Text>
          <b>{plan.items.length}</b> to delete, saving <Money value={plan.totalMonthlySavings} fw={700} c="teal" data-testid="plan-savings" /> per month
        </Text>
        {hasVolumes && (
          <Checkbox
            label="Snapshot each volume before deleting it"
            checked={snapshotVolumes}
            onChange={(e) => onSnapshotVolumes(e.currentTarget.checked)}
            data-testid="snapshot-volumes"
          />
        )}
      </Group>
      {plan.refusedAtPlan.length > 0 && (
        <Alert color="orange" title="Left out of the plan" mb="sm" data-testid="refused-at-plan">
          <List size="sm">
            {plan.refusedAtPlan.map((r) => (
              <List.Item key={r.findingId}>
                <Code>{r.resourceId ?? `#${r.findingId}`}</Code> — {r.reason}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Table.ScrollContainer minWidth={560} mah={360}>
        <Table stickyHeader data-testid="plan-items">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>Resource</Table.Th>
              <Table.Th>Region</Table.Th>
              <Table.Th ta="right">$ / month</Table.Th>
              <Table.Th>Goes with it / stays</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.items.map((it, i) => (
              <Table.Tr key={it.findingId} data-resource-id={it.resourceId}>
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {it.resourceId}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatResourceType(it.resourceType)}
                    {it.name ? ` · ${it.name}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>{it.region}</Table.Td>
                <Table.Td ta="right">
                  <Money value={it.monthlyCost} size="sm" hint={it.costBasis} />
                </Table.Td>
                <Table.Td>
                  {it.related.length === 0 ? (
                    <Text size="xs" c="dimmed">
                      nothing else
                    </Text>
                  ) : (
                    it.related.map((r) => (
                      <Text size="xs" key={r.resourceId}>
                        <Badge size="xs" color={r.fate === 'deleted' ? 'red' : 'gray'} mr={4}>
                          {r.fate === 'deleted' ? 'deleted' : 'stays'}
                        </Badge>
                        {r.resourceId} — {r.note}
                      </Text>
                    ))
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
