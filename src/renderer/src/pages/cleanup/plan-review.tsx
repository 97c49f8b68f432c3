import { Alert, Badge, Checkbox, Code, Group, List, NativeSelect, Stack, Table, Text, Tooltip } from '@mantine/core';
import type { CleanupPlanDto } from '../../../../shared/dto/cleanup';
import type { PartDto } from '../../../../shared/dto/findings';
import type { KindPlanOptionDto, ResourceKindDto } from '../../../../shared/dto/kinds';
import { useKinds } from '../../api/kinds';
import { Money } from '../../components/money';
import { PartsList } from '../../components/parts-list';
import { formatCount } from '../../lib/format';
import { actionOf, findKind, kindNoun, planActionsSummary, planOptionOn, planOptionTestId, verificationLabel, type PlanChoices, type PlanOptionKey } from '../../lib/kinds';
import { keptPartsCost } from '../../lib/parts';

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
}

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
    />
  );
}

/**
 * The plan as main made it: every item in deletion order with what it bills and what deleting it saves, its parts
 * (removed with it, staying and billing, created by the cleanup), and what was refused already. The total is the sum
 * of the items' known savings, never what stays.
 */
export function PlanReview({ plan, options, choices, onChoice, onAddPart, replanning, onAction }: PlanReviewProps): React.JSX.Element {
  const kinds = useKinds();
  const kept = keptPartsCost(plan.items.flatMap((it) => it.related));
  return (
    <>
      <Group justify="space-between" mb="xs" align="flex-start">
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
        <Alert color="orange" title="Left out of the plan" mb="sm" data-testid="refused-at-plan">
          <List size="sm">
            {plan.refusedAtPlan.map((r) => {
              // A finding refused for the action it was given can take another (a read replica: delete without a snapshot).
              const kind = r.resourceType === null ? undefined : findKind(kinds, r.resourceType);
              return (
                <List.Item key={r.findingId} data-testid="refused-item" data-resource-id={r.resourceId ?? ''}>
                  <Code>{r.resourceId ?? `#${r.findingId}`}</Code> — {r.reason}
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
        </Alert>
      )}
      <Table.ScrollContainer minWidth={760} mah={440}>
        <Table stickyHeader verticalSpacing="xs" data-testid="plan-items" aria-busy={replanning}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>Resource</Table.Th>
              <Table.Th ta="right" w={200}>
                Saves / month
              </Table.Th>
              <Table.Th w="48%">Removed with it / stays</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.items.map((it, i) => {
              const kind = findKind(kinds, it.resourceType);
              const action = actionOf(kinds, it.resourceType, it.action);
              return (
                <Table.Tr key={it.findingId} data-resource-id={it.resourceId} data-testid="plan-item" style={{ verticalAlign: 'top' }}>
                  <Table.Td>{i + 1}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {it.resourceId}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {kindNoun(kinds, it.resourceType)} · {it.region}
                      {it.name ? ` · ${it.name}` : ''}
                    </Text>
                    {kind && (
                      <Group gap={6} mt={2} wrap="nowrap">
                        <ActionChoice kind={kind} findingId={it.findingId} value={it.action} onAction={onAction} disabled={replanning} />
                        <Tooltip label={kind.verification.description} multiline maw={360} withArrow>
                          <Text size="xs" c="dimmed" tabIndex={0} data-testid="item-verification" data-method={kind.verification.method}>
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
                    <Money value={it.savings} size="sm" fw={700} c={it.savings === null ? undefined : it.savings < 0 ? 'red' : 'teal'} hint={it.savingsBasis || undefined} data-testid="item-savings" />
                    {it.savingsBasis && (
                      <Text size="xs" c="dimmed" lineClamp={4} data-testid="item-savings-basis" title={it.savingsBasis}>
                        {it.savingsBasis}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <PartsList parts={it.related} onAdd={(p) => onAddPart(it.findingId, p)} adding={replanning} emptyText="Nothing else." testId="item-parts" />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
