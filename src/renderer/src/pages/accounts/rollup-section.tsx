/**
 * The waste of every account in one place (org:rollup): the total, one row per account (a click views it), bars by
 * kind and by region, and the largest items across the accounts. An account never scanned reads "not scanned", never
 * $0.00.
 */
import { Badge, Card, Group, SimpleGrid, Skeleton, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import type { OrgRollupDto } from '../../../../shared/dto/org';
import { useKinds } from '../../api/kinds';
import { useOrgRollup } from '../../api/queries-org';
import { ErrorAlert } from '../../components/error-alert';
import { Money } from '../../components/money';
import { RelativeDate } from '../../components/relative-date';
import { kindLabel } from '../../lib/kinds';
import { formatCount } from '../../lib/format';
import { scanStatusColor, sourceLabel } from './account-words';
import { ResourceSummary } from '../../components/resource-summary';
import { WasteBars } from '../../components/waste-bars';
import type { WasteGroupDto } from '../../../../shared/dto/findings';

/** A roll-up group as the dashboard's bars take it (the roll-up counts no unknown or protected figures per group). */
function asWasteGroup(key: string, g: { findings: number; monthlySavings: number }): WasteGroupDto {
  return { key, savings: { monthlySavings: g.monthlySavings, findings: g.findings, unknownCount: 0, protectedMonthlyCost: 0, protectedFindings: 0 } };
}

function AccountsTable({ rollup, viewingAccountId, onView }: { rollup: OrgRollupDto; viewingAccountId: string | null; onView: (accountId: string) => void }): React.JSX.Element {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table highlightOnHover data-testid="rollup-accounts" verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Account</Table.Th>
            <Table.Th ta="right">Findings</Table.Th>
            <Table.Th ta="right">Savings / month</Table.Th>
            <Table.Th>Last scan</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rollup.accounts.map((a) => {
            const scanned = a.lastScanAt !== null;
            return (
              <Table.Tr key={a.accountId} data-testid="rollup-account-row" data-account-id={a.accountId} data-scanned={scanned ? 'true' : 'false'}>
                <Table.Td>
                  <UnstyledButton onClick={() => onView(a.accountId)} aria-label={`View account ${a.name ?? a.accountId}`} data-testid="rollup-account-view">
                    <Text size="sm" fw={500}>
                      {a.name ?? <Text span c="dimmed" fs="italic" size="sm">no name</Text>}
                      {a.accountId === viewingAccountId && (
                        <Badge ml={6} size="xs" variant="light">
                          viewing
                        </Badge>
                      )}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {a.accountId} · {sourceLabel(a.source)}
                    </Text>
                  </UnstyledButton>
                </Table.Td>
                <Table.Td ta="right" data-testid="rollup-account-findings">
                  {scanned ? formatCount(a.findings) : '—'}
                </Table.Td>
                <Table.Td ta="right">
                  {scanned ? (
                    <>
                      <Money value={a.monthlySavings} size="sm" data-testid="rollup-account-savings" />
                      {a.unknownCount > 0 && (
                        <Text size="xs" c="dimmed">
                          + {formatCount(a.unknownCount)} of unknown cost
                        </Text>
                      )}
                    </>
                  ) : (
                    <Text size="sm" c="dimmed" fs="italic" data-testid="rollup-account-not-scanned">
                      not scanned
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {a.lastScanStatus ? (
                    <Group gap={6} wrap="nowrap">
                      <Badge color={scanStatusColor(a.lastScanStatus)} variant="light" style={{ minWidth: 'max-content' }}>
                        {a.lastScanStatus}
                      </Badge>
                      <RelativeDate iso={a.lastScanAt} size="xs" c="dimmed" />
                    </Group>
                  ) : (
                    <Text size="sm" c="dimmed">
                      never
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function RollupSection({ viewingAccountId, onView }: { viewingAccountId: string | null; onView: (accountId: string) => void }): React.JSX.Element {
  const rollup = useOrgRollup();
  const kinds = useKinds();
  if (rollup.isPending) return <Skeleton h={160} />;
  if (rollup.isError) return <ErrorAlert error={rollup.error} onRetry={() => void rollup.refetch()} />;
  const r = rollup.data;
  const scanned = r.accounts.filter((a) => a.lastScanAt !== null).length;
  return (
    <Card withBorder data-testid="org-rollup">
      <Group justify="space-between" align="flex-start" mb="sm" wrap="nowrap">
        <div>
          <Title order={4}>Monthly waste over every account</Title>
          <Text size="sm" c="dimmed">
            What the unused, unprotected findings of each account&apos;s last scan cost per month. Choose an account to view it on every page.
          </Text>
        </div>
        <Stack gap={0} align="flex-end">
          {scanned === 0 ? (
            <Text c="dimmed" size="sm" data-testid="rollup-not-scanned">
              Not scanned yet
            </Text>
          ) : (
            <Money value={r.total.monthlySavings} suffix="/mo" size="xl" fw={700} c="teal" data-testid="rollup-total" />
          )}
          <Text size="xs" c="dimmed" data-testid="rollup-total-words">
            {formatCount(r.total.findings)} {r.total.findings === 1 ? 'finding' : 'findings'} in {formatCount(r.total.accounts)} {r.total.accounts === 1 ? 'account' : 'accounts'}
            {r.total.unknownCount > 0 ? `, ${formatCount(r.total.unknownCount)} of unknown cost not included` : ''}
            {scanned < r.accounts.length ? `, ${formatCount(r.accounts.length - scanned)} not scanned yet` : ''}
          </Text>
        </Stack>
      </Group>
      <AccountsTable rollup={r} viewingAccountId={viewingAccountId} onView={onView} />
      {scanned > 0 && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl" mt="md">
          <WasteBars title="By kind" noun="kinds" testId="rollup-by-kind" label={(k) => kindLabel(kinds, k)} groups={r.byKind.map((g) => asWasteGroup(g.resourceType, g))} />
          <WasteBars title="By region" noun="regions" testId="rollup-by-region" label={(k) => k} groups={r.byRegion.map((g) => asWasteGroup(g.region, g))} />
        </SimpleGrid>
      )}
      {r.top.length > 0 && (
        <Stack gap={4} mt="md">
          <Text fw={600} size="sm">
            Largest items across the accounts
          </Text>
          <Table data-testid="rollup-top" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Account</Table.Th>
                <Table.Th>Resource</Table.Th>
                <Table.Th ta="right">Savings / month</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.top.map((t) => (
                <Table.Tr key={`${t.accountId}|${t.id}`} data-testid="rollup-top-row" data-account-id={t.accountId} data-resource-id={t.resourceId}>
                  <Table.Td>
                    <Text size="sm">{t.accountName ?? t.accountId}</Text>
                    {t.accountName && (
                      <Text size="xs" c="dimmed" ff="monospace">
                        {t.accountId}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <ResourceSummary name={t.name} resourceId={t.resourceId} kind={kindLabel(kinds, t.resourceType)} region={t.region} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Money value={t.monthlySavings} suffix="/mo" size="sm" />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Card>
  );
}
