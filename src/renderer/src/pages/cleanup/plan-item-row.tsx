import { Badge, Button, Group, NativeSelect, Table, Text, Tooltip } from '@mantine/core';
import type { CleanupPlanItemDto } from '../../../../shared/dto/cleanup';
import type { PartDto } from '../../../../shared/dto/findings';
import type { ResourceKindDto } from '../../../../shared/dto/kinds';
import { useKinds } from '../../api/kinds';
import { Money } from '../../components/money';
import { PartsList } from '../../components/parts-list';
import { actionOf, findKind, verificationLabel } from '../../lib/kinds';
import { ResourceId } from './resource-id';

/**
 * The review's columns, fixed: every group is its own table (its header rows stay out of the item rows' tbody), and
 * a fixed layout with the same widths lines their columns up.
 */
export function PlanColumns(): React.JSX.Element {
  return (
    <colgroup>
      <col style={{ width: 48 }} />
      <col />
      <col style={{ width: 180 }} />
      <col style={{ width: '40%' }} />
      <col style={{ width: 92 }} />
    </colgroup>
  );
}
export const PLAN_COLUMN_COUNT = 5;

/**
 * The action of one item, as a choice when its kind offers more than one. Each choice is per item: an explicit
 * action (delete without a final snapshot) is never applied to a selection.
 */
function ActionChoice({ kind, findingId, value, onAction, disabled }: { kind: ResourceKindDto; findingId: number; value: string; onAction: (findingId: number, actionId: string) => void; disabled: boolean }): React.JSX.Element {
  const action = kind.actions.find((a) => a.id === value);
  if (kind.actions.length <= 1) {
    return (
      <Badge size="xs" variant="outline" color="red" data-testid="item-action" data-action={value}>
        {action?.label ?? kind.actionLabel}
      </Badge>
    );
  }
  return (
    <NativeSelect
      size="xs"
      aria-label={`Action for ${findingId}`}
      value={value}
      disabled={disabled}
      onChange={(e) => onAction(findingId, e.currentTarget.value)}
      data={kind.actions.map((a) => ({ value: a.id, label: a.label }))}
      data-testid="item-action-choice"
      data-action={value}
      w={240}
      maw="100%"
    />
  );
}

interface PlanItemRowProps {
  item: CleanupPlanItemDto;
  /** Its position in the plan's deletion order (1-based). */
  position: number;
  replanning: boolean;
  onAction: (findingId: number, actionId: string) => void;
  onAddPart: (findingId: number, part: PartDto) => void;
  /** Takes the item out of the plan (null: it cannot be, e.g. it is the plan's last finding). */
  onRemove: ((findingId: number) => void) | null;
}

/** One plan item: its id (one line), name, action and how it is verified, what it bills and saves, its parts. */
export function PlanItemRow({ item: it, position, replanning, onAction, onAddPart, onRemove }: PlanItemRowProps): React.JSX.Element {
  const kinds = useKinds();
  const kind = findKind(kinds, it.resourceType);
  const action = actionOf(kinds, it.resourceType, it.action);
  return (
    <Table.Tr data-resource-id={it.resourceId} data-finding-id={it.findingId} data-kind={it.resourceType} data-region={it.region} data-testid="plan-item" style={{ verticalAlign: 'top' }}>
      <Table.Td c="dimmed" title="Position in the deletion order">
        {position}
      </Table.Td>
      <Table.Td style={{ minWidth: 0 }}>
        <ResourceId id={it.resourceId} />
        {it.name && (
          <Text size="xs" c="dimmed" truncate="end" title={it.name} data-testid="item-name">
            {it.name}
          </Text>
        )}
        {kind && (
          <Group gap={6} mt={2} wrap="nowrap">
            <ActionChoice kind={kind} findingId={it.findingId} value={it.action} onAction={onAction} disabled={replanning} />
            <Tooltip label={kind.verification.description} multiline maw={360} withArrow>
              <Text size="xs" c="dimmed" tabIndex={0} style={{ whiteSpace: 'nowrap' }} data-testid="item-verification" data-method={kind.verification.method}>
                {verificationLabel(kind.verification.method)}
              </Text>
            </Tooltip>
          </Group>
        )}
        {action?.warning && (
          <Text size="xs" c="orange.8" mt={2} data-testid="item-action-warning">
            {action.warning}
          </Text>
        )}
        <Text size="xs" c="dimmed" mt={2}>
          bills <Money value={it.monthlyCost} size="xs" hint={it.costBasis} data-testid="item-cost" />
          {it.ownMonthlyCost !== it.monthlyCost && (
            <>
              {' '}
              (itself <Money value={it.ownMonthlyCost} size="xs" data-testid="item-own-cost" />)
            </>
          )}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        <Money
          value={it.savings}
          size="sm"
          fw={700}
          c={it.savings === null ? undefined : it.savings < 0 ? 'red' : 'teal'}
          hint={it.savingsBasis || undefined}
          data-testid="item-savings"
          data-value={it.savings ?? ''}
        />
        {it.savingsBasis && (
          <Text size="xs" c="dimmed" lineClamp={4} data-testid="item-savings-basis" title={it.savingsBasis}>
            {it.savingsBasis}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <PartsList parts={it.related} onAdd={(p) => onAddPart(it.findingId, p)} adding={replanning} emptyText="Nothing else." testId="item-parts" />
      </Table.Td>
      <Table.Td ta="right">
        <Button
          size="compact-xs"
          variant="subtle"
          color="gray"
          disabled={onRemove === null || replanning}
          onClick={() => onRemove?.(it.findingId)}
          aria-label={`Remove ${it.resourceId} from the plan`}
          title={onRemove === null ? 'The plan needs at least one finding' : 'Leave this one out of the plan'}
          data-testid="remove-item"
        >
          Remove
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}
