import { Alert, Badge, List, Text, Tooltip } from '@mantine/core';
import type { ServiceDto } from '../../../../shared/dto/services';
import { Money } from '../../components/money';
import { formatUsd } from '../../lib/format';

export const RECONCILIATION_WARNING = "Estimated waste above this service's spend: prices or definitions may be off";

/** Services whose findings are estimated to cost more than the service's whole spend (the bill cross-check). */
export function exceedingServices<S extends ServiceDto>(services: readonly S[]): S[] {
  return services.filter((s) => s.reconciliation?.exceedsSpend === true);
}

/** The bill cross-check, above the services table: one line per service whose estimate exceeds its spend. */
export function ReconciliationCallout({ services }: { services: readonly ServiceDto[] }): React.JSX.Element | null {
  const over = exceedingServices(services);
  if (over.length === 0) return null;
  return (
    <Alert color="yellow" title={RECONCILIATION_WARNING} mb="sm" data-testid="reconciliation-warning">
      <List size="sm">
        {over.map((s) => (
          <List.Item key={s.code} data-testid="reconciliation-service" data-service={s.displayName}>
            <b>{s.displayName}</b>: its findings are estimated at <Money value={s.reconciliation?.findingsMonthlyCost} size="sm" suffix="/month" data-testid="reconciliation-estimate" />, more than
            its spend of <Money value={s.reconciliation?.monthlyRunRate} size="sm" suffix="/month" data-testid="reconciliation-spend" /> (Cost Explorer, at the period&apos;s run-rate).
          </List.Item>
        ))}
      </List>
      <Text size="xs" c="dimmed" mt={4}>
        The savings of these findings may be overstated: check their cost basis in the findings&apos; details.
      </Text>
    </Alert>
  );
}

/** A small flag in the services table's row of a service whose estimate exceeds its spend. */
export function ReconciliationFlag({ service }: { service: ServiceDto }): React.JSX.Element | null {
  const r = service.reconciliation;
  if (!r?.exceedsSpend) return null;
  return (
    <Tooltip label={`${RECONCILIATION_WARNING}: findings ${formatUsd(r.findingsMonthlyCost)}/month, spend ${formatUsd(r.monthlyRunRate)}/month.`} multiline maw={320} withArrow>
      <Badge color="yellow" variant="light" tabIndex={0} data-testid="reconciliation-flag">
        estimate &gt; spend
      </Badge>
    </Tooltip>
  );
}
