import { Text } from '@mantine/core';
import type { SavingsTotalsDto } from '../../../../shared/dto/findings';
import { Money } from '../../components/money';
import { formatCount, formatUsd } from '../../lib/format';

/** Potential savings (main's one definition), the findings behind it, and the protected findings as their own figure. */
export function SavingsFigures({ savings }: { savings: SavingsTotalsDto }): React.JSX.Element {
  return (
    <>
      <Money value={savings.monthlySavings} size="xl" fw={700} c="teal" data-testid="potential-savings-value" />
      <Text size="xs" c="dimmed" data-testid="potential-savings-detail">
        {formatCount(savings.findings)} deletable {savings.findings === 1 ? 'finding' : 'findings'}
        {savings.unknownCount > 0 ? `, ${formatCount(savings.unknownCount)} of unknown savings (not counted)` : ''}
      </Text>
      {savings.protectedFindings > 0 && (
        <Text size="xs" c="grape" data-testid="protected-figure">
          {formatUsd(savings.protectedMonthlyCost)}/month protected, {formatCount(savings.protectedFindings)} {savings.protectedFindings === 1 ? 'finding' : 'findings'}: kept
        </Text>
      )}
    </>
  );
}
