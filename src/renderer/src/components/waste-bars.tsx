/**
 * Potential savings by group (a kind, a region) as bars, largest first; past eight, the rest summed into one "N more"
 * bar, so the bars still add up to the total. The dashboard's and the Accounts roll-up's.
 */
import { Group, Progress, Stack, Text } from '@mantine/core';
import type { WasteGroupDto } from '../../../shared/dto/findings';
import { formatCount } from '../lib/format';
import { Money } from './money';

const MAX_BARS = 8;

/** The first bars as they are; past MAX_BARS, the rest summed into one "N more" bar (the bars still add up). */
function foldTail(groups: readonly WasteGroupDto[], noun: string): { groups: WasteGroupDto[]; folded: string | null } {
  if (groups.length <= MAX_BARS) return { groups: [...groups], folded: null };
  const head = groups.slice(0, MAX_BARS - 1);
  const tail = groups.slice(MAX_BARS - 1);
  const sum = (f: (g: WasteGroupDto) => number): number => tail.reduce((a, g) => a + f(g), 0);
  const key = `${tail.length} more ${noun}`;
  const savings = {
    monthlySavings: Math.round(sum((g) => g.savings.monthlySavings) * 1e6) / 1e6,
    findings: sum((g) => g.savings.findings),
    unknownCount: sum((g) => g.savings.unknownCount),
    protectedMonthlyCost: sum((g) => g.savings.protectedMonthlyCost),
    protectedFindings: sum((g) => g.savings.protectedFindings),
  };
  return { groups: [...head, { key, savings }], folded: key };
}

export function WasteBars({ title, groups: all, noun, label, testId }: { title: string; groups: WasteGroupDto[]; noun: string; label: (key: string) => string; testId: string }): React.JSX.Element {
  const { groups, folded } = foldTail(all, noun);
  const max = Math.max(...groups.map((g) => g.savings.monthlySavings), 0);
  const name = (key: string): string => (key === folded ? key : label(key));
  return (
    <Stack gap={6} data-testid={testId}>
      <Text fw={600} size="sm">
        {title}
      </Text>
      {groups.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing unused.
        </Text>
      ) : (
        groups.map((g) => (
          <div key={g.key} data-testid={`${testId}-row`} data-key={g.key} data-folded={g.key === folded ? 'true' : undefined}>
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Text size="sm" truncate="end" c={g.key === folded ? 'dimmed' : undefined}>
                {name(g.key)}
              </Text>
              <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                <Money value={g.savings.monthlySavings} suffix="/mo" size="sm" data-testid={`${testId}-amount`} />
                <Text span size="xs" c="dimmed">
                  {' '}
                  · {formatCount(g.savings.findings)}
                  {g.savings.unknownCount > 0 ? ` (${formatCount(g.savings.unknownCount)} unknown)` : ''}
                </Text>
              </Text>
            </Group>
            <Progress
              value={max > 0 ? (g.savings.monthlySavings / max) * 100 : 0}
              size="sm"
              color="teal"
              aria-label={`${name(g.key)}: ${g.savings.monthlySavings.toFixed(2)} dollars a month`}
            />
          </div>
        ))
      )}
    </Stack>
  );
}
