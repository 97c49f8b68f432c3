import { Badge, Button, Code, Group, Stack, Text, Tooltip } from '@mantine/core';
import type { PartDto } from '../../../shared/dto/findings';
import { useKinds } from '../api/kinds';
import { formatUsd } from '../lib/format';
import { kindNoun } from '../lib/kinds';
import { isAddable, partFate } from '../lib/parts';

interface PartsListProps {
  parts: PartDto[];
  /** Shown on kept parts that are addable: "Add to this plan" (only in a cleanup plan). */
  onAdd?: (part: PartDto) => void;
  /** Disables the add buttons while a new plan is being made. */
  adding?: boolean;
  emptyText?: string;
  testId?: string;
}

/**
 * The parts of a finding: what its action removes with it, what stays and keeps billing, what it creates. Each with
 * its monthly cost (unknown is said, never $0; a created part's cost is subtracted), its protection, and on
 * addable kept parts "Add to this plan".
 */
export function PartsList({ parts, onAdd, adding = false, emptyText = 'Nothing else.', testId = 'parts' }: PartsListProps): React.JSX.Element {
  const kinds = useKinds();
  if (parts.length === 0) {
    return (
      <Text size="xs" c="dimmed" data-testid={testId} data-empty="true">
        {emptyText}
      </Text>
    );
  }
  return (
    <Stack gap={6} data-testid={testId}>
      {parts.map((p) => {
        const fate = partFate(p);
        const unknown = p.monthlyCost === null;
        return (
          <div key={`${p.resourceType}|${p.resourceId}`} data-testid="part" data-part-id={p.resourceId} data-fate={fate.key} data-protected={p.protected}>
            <Group gap={6} wrap="nowrap" justify="space-between" align="flex-start">
              <Group gap={6} wrap="wrap" style={{ minWidth: 0 }}>
                <Badge size="xs" variant={fate.key === 'kept' || fate.key === 'shared' ? 'outline' : 'light'} color={fate.color} data-testid="part-fate">
                  {fate.label}
                </Badge>
                <Text size="xs" span>
                  {kindNoun(kinds, p.resourceType)}
                </Text>
                <Code fz="xs">{p.resourceId}</Code>
              </Group>
              <Tooltip label={[fate.costHint, p.costBasis].filter(Boolean).join('. ')} multiline maw={360} withArrow>
                <Text
                  size="xs"
                  ff="monospace"
                  span
                  c={unknown ? 'dimmed' : undefined}
                  fs={unknown ? 'italic' : undefined}
                  style={{ whiteSpace: 'nowrap' }}
                  data-testid="part-cost"
                  data-cost={p.monthlyCost ?? 'unknown'}
                >
                  {fate.key === 'created' && !unknown ? '−' : ''}
                  {formatUsd(p.monthlyCost)}
                  {unknown ? '' : '/mo'}
                </Text>
              </Tooltip>
            </Group>
            <Text size="xs" c="dimmed">
              {p.note}
            </Text>
            {onAdd && isAddable(p) && (
              <Button size="compact-xs" variant="light" color="red" mt={2} onClick={() => onAdd(p)} disabled={adding} data-testid="add-part">
                Add to this plan
              </Button>
            )}
            {p.protected && (
              <Text size="xs" c="grape" data-testid="part-protected">
                Protected: {p.protectedReason ?? 'yes'}
              </Text>
            )}
          </div>
        );
      })}
    </Stack>
  );
}
