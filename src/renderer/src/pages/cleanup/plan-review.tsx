import { Alert, Anchor, Checkbox, Group, List, NativeSelect, ScrollArea, Stack, Text } from '@mantine/core';
import type { CleanupPlanDto } from '../../../../shared/dto/cleanup';
import type { PartDto } from '../../../../shared/dto/findings';
import type { KindPlanOptionDto } from '../../../../shared/dto/kinds';
import { useKinds } from '../../api/kinds';
import { Money } from '../../components/money';
import { formatCount } from '../../lib/format';
import { findKind, planActionsSummary, planOptionOn, planOptionTestId, type PlanChoices, type PlanOptionKey } from '../../lib/kinds';
import { keptPartsCost } from '../../lib/parts';
import { PlanGroups } from './plan-group-list';
import { ResourceId } from './resource-id';

interface PlanReviewProps {
  plan: CleanupPlanDto;
  /** The plan options the selected findings' kinds offer (a safety snapshot of each volume…), and the choices. */
  options: readonly KindPlanOptionDto[];
  choices: PlanChoices;
  onChoice: (key: PlanOptionKey, on: boolean) => void;
  /** "Add to this plan" on a kept, addable part: the modal re-plans with it. */
  onAddPart: (findingId: number, part: PartDto) => void;
  /** A new plan is being made (after an add or a snapshot choice): the add buttons wait. */
  replanning: boolean;
  /** The user picks another action for one finding (stop instead of delete, delete without a final snapshot…). */
  onAction: (findingId: number, actionId: string) => void;
  /** Takes one finding out of the plan (null: it cannot be, the plan has one finding left). */
  onRemove: ((findingId: number) => void) | null;
  /** How many findings were taken out of the plan, and how to put them all back. */
  removedCount: number;
  onRestore: () => void;
}

/**
 * The plan as main made it: its items grouped by kind and region with subtotals, each with what it bills and what
 * deleting it saves, its parts (removed with it, staying and billing, created by the cleanup) and a way to take it out
 * of the plan; and what was refused already. The total is the sum of the items' known savings, never what stays.
 */
export function PlanReview({ plan, options, choices, onChoice, onAddPart, replanning, onAction, onRemove, removedCount, onRestore }: PlanReviewProps): React.JSX.Element {
  const kinds = useKinds();
  const kept = keptPartsCost(plan.items.flatMap((it) => it.related));
  return (
    // Fills the modal's height: the header and the refusals take what they need, the item list the rest.
    <Stack gap="xs" style={{ flex: 1, minHeight: 0 }}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2}>
          <Text data-testid="plan-summary">
            <b data-testid="plan-actions">{planActionsSummary(plan.items)}</b>, saving <Money value={plan.totalMonthlySavings} fw={700} c="teal" data-testid="plan-savings" /> per month
            {plan.unknownSavingsCount > 0 && (
              <Text span c="dimmed" size="sm" data-testid="plan-unknown-savings">
                {' '}
                + {formatCount(plan.unknownSavingsCount)} {plan.unknownSavingsCount === 1 ? 'item' : 'items'} of unknown savings (not in the total)
              </Text>
            )}
          </Text>
          {kept.count > 0 && (
            <Text size="xs" c="dimmed" data-testid="plan-kept">
              {formatCount(kept.count)} {kept.count === 1 ? 'part stays' : 'parts stay'} and {kept.count === 1 ? 'keeps' : 'keep'} billing{' '}
              <Money value={kept.cost} size="xs" suffix="/month" data-testid="plan-kept-cost" />
              {kept.unknown > 0 ? ` (+ ${formatCount(kept.unknown)} of unknown cost)` : ''}: not in the savings.
            </Text>
          )}
          {removedCount > 0 && (
            <Text size="xs" c="dimmed" data-testid="plan-removed">
              {formatCount(removedCount)} {removedCount === 1 ? 'finding' : 'findings'} taken out of this plan ·{' '}
              <Anchor component="button" type="button" size="xs" onClick={onRestore} disabled={replanning} data-testid="restore-removed">
                Put {removedCount === 1 ? 'it' : 'them'} back
              </Anchor>
            </Text>
          )}
        </Stack>
        {options.length > 0 && (
          <Stack gap={6} maw={360}>
            {options.map((o) => (
              <Checkbox
                key={o.key}
                label={o.label}
                description={o.description}
                checked={planOptionOn(choices, o.key)}
                onChange={(e) => onChoice(o.key, e.currentTarget.checked)}
                data-testid={planOptionTestId(o.key)}
                data-plan-option={o.key}
              />
            ))}
          </Stack>
        )}
      </Group>
      {plan.refusedAtPlan.length > 0 && (
        <Alert color="orange" title="Left out of the plan" data-testid="refused-at-plan" style={{ flexShrink: 0 }}>
          <ScrollArea.Autosize mah={180} type="auto">
            <List size="sm">
              {plan.refusedAtPlan.map((r) => {
                // A finding refused for the action it was given can take another (a read replica: delete without a snapshot).
                const kind = r.resourceType === null ? undefined : findKind(kinds, r.resourceType);
                return (
                  <List.Item key={r.findingId} data-testid="refused-item" data-resource-id={r.resourceId ?? ''}>
                    <ResourceId id={r.resourceId ?? `#${r.findingId}`} testId="refused-id" />
                    <Text size="sm">{r.reason}</Text>
                    {kind && kind.actions.length > 1 && (
                      <Group gap={6} mt={4}>
                        <Text size="xs">Another action:</Text>
                        <NativeSelect
                          size="xs"
                          aria-label={`Another action for ${r.resourceId ?? r.findingId}`}
                          value=""
                          disabled={replanning}
                          onChange={(e) => e.currentTarget.value !== '' && onAction(r.findingId, e.currentTarget.value)}
                          data={[{ value: '', label: 'Choose…' }, ...kind.actions.map((a) => ({ value: a.id, label: a.label }))]}
                          data-testid="refused-action-choice"
                          w={240}
                        />
                      </Group>
                    )}
                  </List.Item>
                );
              })}
            </List>
          </ScrollArea.Autosize>
        </Alert>
      )}
      <PlanGroups plan={plan} replanning={replanning} onAction={onAction} onAddPart={onAddPart} onRemove={onRemove} />
    </Stack>
  );
}
