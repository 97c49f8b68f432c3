/**
 * The picture of the waste after a scan: the total, bars by kind and by region, and the five largest items. Every
 * figure is main's one definition of potential savings (unprotected findings' known savings), so the bars add up to
 * the total; unknown savings are counted beside, never drawn as $0.
 */
import { Anchor, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { WasteSummaryDto } from '../../../../shared/dto/findings';
import { useKinds } from '../../api/kinds';
import { navigate } from '../../app/routes';
import { Money } from '../../components/money';
import { kindLabel } from '../../lib/kinds';
import { formatCount, formatUsd } from '../../lib/format';
import { ResourceSummary } from '../../components/resource-summary';
import { WasteBars } from '../../components/waste-bars';

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
        <WasteBars title="By kind" groups={waste.byKind} noun="kinds" label={(k) => kindLabel(kinds, k)} testId="waste-by-kind" />
        <WasteBars title="By region" groups={waste.byRegion} noun="regions" label={(k) => k} testId="waste-by-region" />
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
