import { Button, Card, EmptyState, Group, SimpleGrid, Skeleton, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { asAppError } from '../../api/client';
import { navigate } from '../../app/routes';
import { ErrorAlert } from '../../components/error-alert';
import { Money } from '../../components/money';
import { PageHeader } from '../../components/page-header';
import { RelativeDate } from '../../components/relative-date';
import { formatCount, formatDay, formatUsd, lastDayOf } from '../../lib/format';
import { CostExplorerBanner } from './ce-banner';
import { DailyCostChart } from './daily-cost-chart';
import { ReconciliationCallout } from './reconciliation';
import { SavingsFigures } from './savings-figures';
import { SavingsRealisedCard } from './savings-realised';
import { ServicesTable } from './services-table';
import { StatCard } from './stat-card';
import { useDashboardData } from './use-dashboard-data';
import { WasteOverview } from './waste-overview';

function isCostExplorerError(e: unknown): boolean {
  return asAppError(e).code.startsWith('ce.') || asAppError(e).code === 'aws.access_denied';
}

export function DashboardPage(): React.JSX.Element {
  const { discovery, services, history, ceUsage, savings, waste, lastScan, scans, refresh, realised } = useDashboardData();
  const notScanned = scans.isSuccess && lastScan === null;

  // Cost Explorer failures come either as a rejected call or as a failed discovery carrying its error.
  const ceError = discovery.error ?? discovery.data?.error ?? (refresh.error && isCostExplorerError(refresh.error) ? refresh.error : null);
  const list = services.data;
  const period = list?.period ?? discovery.data?.period ?? null;
  const loadingCosts = discovery.isPending || services.isPending;

  const onRefresh = (): void =>
    refresh.mutate(undefined, {
      onSuccess: (r) =>
        notifications.show({
          color: r.error ? 'yellow' : 'teal',
          title: r.error ? 'Costs not refreshed' : 'Costs refreshed',
          message: r.error ? r.error.message : `${formatCount(r.requests)} Cost Explorer ${r.requests === 1 ? 'request' : 'requests'} made (${formatUsd(r.requests * 0.01)}).`,
        }),
      onError: (e) => notifications.show({ color: 'red', title: 'Costs not refreshed', message: asAppError(e).message }),
    });

  return (
    <Stack>
      <PageHeader
        title="Dashboard"
        description={period ? `Costs from ${formatDay(period.start)} to ${formatDay(lastDayOf(period.end))}, from Cost Explorer.` : 'What the account pays for, and what could go.'}
      >
        <Button onClick={() => navigate('scan')} data-testid="go-scan">
          {notScanned ? 'Scan for unused resources' : 'Scan again'}
        </Button>
      </PageHeader>

      {notScanned && (
        <Card withBorder data-testid="not-scanned">
          <Group justify="space-between" wrap="nowrap" align="center">
            <div>
              <Title order={4}>Not scanned yet</Title>
              <Text size="sm" c="dimmed">
                The costs below are what the account pays. What it pays for and does not use is not known until a scan has looked at its resources.
              </Text>
            </div>
            <Button size="md" onClick={() => navigate('scan')} data-testid="not-scanned-scan">
              Scan for unused resources
            </Button>
          </Group>
        </Card>
      )}

      {ceError ? (
        isCostExplorerError(ceError) ? <CostExplorerBanner error={ceError} /> : <ErrorAlert error={ceError} onRetry={() => void discovery.refetch()} />
      ) : null}

      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <StatCard label={period ? `Spend, ${Math.round((Date.parse(period.end) - Date.parse(period.start)) / 86_400_000)} days` : 'Spend'} loading={loadingCosts} testId="period-total">
          {list && list.period ? (
            <Money value={list.totalCost} size="xl" fw={700} data-testid="period-total-value" />
          ) : (
            <Text c="dimmed" size="sm" mt={6}>
              {ceError ? 'unavailable' : 'no cost data yet'}
            </Text>
          )}
        </StatCard>
        <StatCard label="Potential monthly savings" loading={savings.isPending} testId="potential-savings">
          {notScanned ? (
            <Text c="dimmed" size="sm" mt={6} data-testid="potential-savings-not-scanned">
              Not scanned yet
            </Text>
          ) : (
            savings.data && <SavingsFigures savings={savings.data} />
          )}
        </StatCard>
        <StatCard label="Last scan" loading={scans.isPending} testId="last-scan">
          {lastScan ? (
            <>
              <Text size="lg" fw={600}>
                {formatCount(lastScan.findingsCount)} findings · <Money value={lastScan.monthlySavings} suffix="/mo" data-testid="last-scan-savings" />
              </Text>
              <Text size="xs" c="dimmed">
                {lastScan.status} · {lastScan.regions.length} regions · <RelativeDate iso={lastScan.startedAt} size="xs" />
              </Text>
            </>
          ) : (
            <Text c="dimmed" size="sm" mt={6}>
              None yet
            </Text>
          )}
        </StatCard>
        <StatCard label="Cost Explorer requests" loading={ceUsage.isPending} testId="ce-usage">
          {ceUsage.data && (
            <>
              <Text size="lg" fw={600} data-testid="ce-usage-value">
                {formatCount(ceUsage.data.total)} × $0.01 = {formatUsd(ceUsage.data.costUsd)}
              </Text>
              <Text size="xs" c="dimmed">
                {formatCount(ceUsage.data.today)} today · {formatCount(ceUsage.data.last30Days)} in 30 days
              </Text>
            </>
          )}
        </StatCard>
      </SimpleGrid>

      {/* Nothing before the first cleanup: the card has nothing true to say yet. */}
      {realised.data && realised.data.since !== null && <SavingsRealisedCard data={realised.data} onRefresh={onRefresh} refreshing={refresh.isPending} />}

      {!notScanned && waste.data && waste.data.totals.findings + waste.data.totals.protectedFindings + waste.data.ignored.findings > 0 && <WasteOverview waste={waste.data} />}

      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Title order={4}>Daily cost by service</Title>
          <Tooltip label="Asks Cost Explorer again, bypassing the cache. Each request costs $0.01." multiline maw={280}>
            <Button variant="subtle" size="xs" onClick={onRefresh} loading={refresh.isPending} data-testid="refresh-costs">
              Refresh costs ($0.01 per request)
            </Button>
          </Tooltip>
        </Group>
        {history.isPending && !ceError ? (
          <Skeleton h={300} />
        ) : history.data && history.data.rows.length > 0 ? (
          <DailyCostChart history={history.data} />
        ) : (
          <EmptyState size="sm" title="No daily costs" description={ceError ? 'Cost Explorer did not answer (see above).' : 'Refresh costs to load the daily history.'} />
        )}
      </Card>

      <Card withBorder>
        <Title order={4} mb="sm">
          Services
        </Title>
        {loadingCosts ? (
          <Stack gap="xs">
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} h={32} />
            ))}
          </Stack>
        ) : list && list.services.length > 0 ? (
          <>
            <ReconciliationCallout services={list.services} />
            <ServicesTable services={list.services} history={history.data} />
          </>
        ) : (
          <EmptyState size="sm" title="No paid services found" description={ceError ? 'Cost Explorer did not answer; scan the account for unused resources instead.' : 'Nothing cost more than the minimum in the period.'} />
        )}
      </Card>
    </Stack>
  );
}
