/**
 * The picture of the waste after a scan: the total, bars by kind and by region, and the five largest items. Every
 * figure is main's one definition of potential savings (unprotected findings' known savings), so the bars add up to
 * the total; unknown savings are counted beside, never drawn as $0.
 */
import { Anchor, Card, Group, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { WasteGroupDto, WasteSummaryDto } from '../../../../shared/dto/findings';
import { useKinds } from '../../api/kinds';
import { navigate } from '../../app/routes';
import { Money } from '../../components/money';
import { kindLabel } from '../../lib/kinds';
import { formatCount, formatUsd } from '../../lib/format';
import { ResourceSummary } from '../../components/resource-summary';

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

function Bars({ title, groups: all, noun, label, testId }: { title: string; groups: WasteGroupDto[]; noun: string; label: (key: string) => string; testId: string }): React.JSX.Element {
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

export function WasteOverview({ waste }: { waste: WasteSummaryDto }): React.JSX.Element {
  const kinds = useKinds();
  const t = waste.totals;
  return (
    <Card withBorder data-testid="waste-overview">
      <Group justify="space-between" align="flex-start" mb="sm">
        <div>
          <Title order={4}>Monthly waste found</Title>
          <Text size="sm" c="dimmed">
            What the unused, unprotected findings of the last scans cost per month, by kind and by region.
          </Text>
        </div>
        <Stack gap={0} align="flex-end">
          <Money value={t.monthlySavings} suffix="/mo" size="xl" fw={700} c="teal" data-testid="waste-total" />
          <Text size="xs" c="dimmed">
            {formatCount(t.findings)} {t.findings === 1 ? 'finding' : 'findings'}
            {t.unknownCount > 0 ? `, ${formatCount(t.unknownCount)} of unknown cost not included` : ''}
          </Text>
          {waste.ignored.findings > 0 && (
            <Text size="xs" c="dimmed" data-testid="waste-ignored">
              <Anchor size="xs" component="button" type="button" onClick={() => navigate('findings')}>
                {formatCount(waste.ignored.findings)} ignored {waste.ignored.findings === 1 ? 'finding' : 'findings'}
              </Anchor>
              , {formatUsd(waste.ignored.monthlySavings)}/mo not counted
            </Text>
          )}
        </Stack>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
        <Bars title="By kind" groups={waste.byKind} noun="kinds" label={(k) => kindLabel(kinds, k)} testId="waste-by-kind" />
        <Bars title="By region" groups={waste.byRegion} noun="regions" label={(k) => k} testId="waste-by-region" />
      </SimpleGrid>
      {waste.top.length > 0 && (
        <Stack gap={4} mt="md">
          <Text fw={600} size="sm">
            Largest items
          </Text>
          <Table data-testid="waste-top" verticalSpacing={4}>
            <Table.Tbody>
              {waste.top.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <ResourceSummary name={r.name} resourceId={r.resourceId} kind={kindLabel(kinds, r.resourceType)} region={r.region} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Money value={r.monthlySavings} suffix="/mo" size="sm" />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group justify="flex-end">
            <Anchor component="button" size="sm" onClick={() => navigate('findings')} data-testid="waste-view-findings">
              View all findings
            </Anchor>
          </Group>
        </Stack>
      )}
    </Card>
  );
}
