import { Badge, Group, Table, Text } from '@mantine/core';
import { useMemo } from 'react';
import type { CleanupPlanDto } from '../../../../shared/dto/cleanup';
import type { PartDto } from '../../../../shared/dto/findings';
import { useKinds } from '../../api/kinds';
import { Money } from '../../components/money';
import { formatCount } from '../../lib/format';
import { kindLabel } from '../../lib/kinds';
import { groupPlanItems, type Subtotal } from './plan-groups';
import { PLAN_COLUMN_COUNT, PlanColumns, PlanItemRow } from './plan-item-row';

/** "3 items · saves $12.40/month (+ 1 unknown)": a group's count and the sum of its items' known savings. */
function SubtotalText({ subtotal, testId }: { subtotal: Subtotal; testId: string }): React.JSX.Element {
  return (
    <Text size="xs" c="dimmed" span style={{ whiteSpace: 'nowrap' }}>
      {formatCount(subtotal.count)} {subtotal.count === 1 ? 'item' : 'items'} · saves{' '}
      <Money value={subtotal.savings} size="xs" fw={700} c={subtotal.savings < 0 ? 'red' : 'teal'} suffix="/month" data-testid={testId} data-value={subtotal.savings} />
      {subtotal.unknown > 0 ? ` (+ ${formatCount(subtotal.unknown)} unknown)` : ''}
    </Text>
  );
}

interface PlanGroupsProps {
  plan: CleanupPlanDto;
  replanning: boolean;
  onAction: (findingId: number, actionId: string) => void;
  onAddPart: (findingId: number, part: PartDto) => void;
  onRemove: ((findingId: number) => void) | null;
}

const stickyHead: React.CSSProperties = { position: 'sticky', top: 0, zIndex: 3, background: 'var(--mantine-color-body)' };

/**
 * The plan's items grouped by kind, then region, in a box that takes the height the modal leaves. The group headers
 * are outside the item rows' `tbody` (each region is a table whose `thead` is its header), so `plan-items tbody tr`
 * counts items. The number of each item is its position in the deletion order.
 */
export function PlanGroups({ plan, replanning, onAction, onAddPart, onRemove }: PlanGroupsProps): React.JSX.Element {
  const kinds = useKinds();
  const groups = useMemo(() => groupPlanItems(plan.items), [plan.items]);
  return (
    <div
      data-testid="plan-items"
      aria-busy={replanning}
      aria-label="Plan items by kind and region"
      role="region"
      tabIndex={0}
      style={{ flex: 1, minHeight: 240, overflow: 'auto', border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-sm)' }}
    >
      <Table layout="fixed" style={stickyHead} miw={760}>
        <PlanColumns />
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Resource</Table.Th>
            <Table.Th ta="right">Saves / month</Table.Th>
            <Table.Th>Removed with it / stays</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
      </Table>
      {plan.items.length === 0 && (
        <Text size="sm" c="dimmed" p="md" data-testid="plan-empty">
          Nothing left in the plan.
        </Text>
      )}
      {groups.map((g) => (
        <section key={g.resourceType} data-testid="plan-group" data-kind={g.resourceType} aria-label={kindLabel(kinds, g.resourceType)}>
          <Group justify="space-between" wrap="nowrap" px="xs" py={6} bg="var(--mantine-color-default-hover)" miw={760}>
            <Text size="sm" fw={700} truncate="end">
              {kindLabel(kinds, g.resourceType)}
            </Text>
            <SubtotalText subtotal={g} testId="group-savings" />
          </Group>
          {g.regions.map((r) => (
            <Table key={r.region} layout="fixed" verticalSpacing="xs" miw={760} data-testid="plan-region-group" data-region={r.region}>
              <PlanColumns />
              <Table.Thead>
                <Table.Tr>
                  <Table.Th colSpan={PLAN_COLUMN_COUNT} py={4}>
                    <Group justify="space-between" wrap="nowrap">
                      <Badge size="sm" variant="light" color="gray" tt="none" style={{ whiteSpace: 'nowrap' }} data-testid="region-name">
                        {r.region}
                      </Badge>
                      <SubtotalText subtotal={r} testId="region-savings" />
                    </Group>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.items.map(({ item, index }) => (
                  <PlanItemRow key={item.findingId} item={item} position={index + 1} replanning={replanning} onAction={onAction} onAddPart={onAddPart} onRemove={onRemove} />
                ))}
              </Table.Tbody>
            </Table>
          ))}
        </section>
      ))}
    </div>
  );
}
