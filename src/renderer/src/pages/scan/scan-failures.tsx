import { Alert, Code, List, Text } from '@mantine/core';
import type { FailureRow } from './failure-advice';
import { useKinds } from '../../api/kinds';
import { RichText } from '../../components/rich-text';
import { findKind, kindLabel } from '../../lib/kinds';
import { failureAdvice, groupFailures } from './failure-advice';

export type { FailureRow } from './failure-advice';

/** Failed tasks with their AWS error code and what to do about each, grouped by region and error. */
export function ScanFailures({ failures }: { failures: FailureRow[] }): React.JSX.Element | null {
  const kinds = useKinds();
  if (failures.length === 0) return null;
  const groups = groupFailures(failures);
  const regions = new Set(failures.map((f) => f.region)).size;
  const title = `${failures.length} task${failures.length === 1 ? '' : 's'} failed in ${regions} region${regions === 1 ? '' : 's'} — the rest of the scan is kept`;
  return (
    <Alert color="orange" title={title} data-testid="scan-failures">
      <List spacing="sm" size="sm">
        {groups.map((g) => {
          const first = g.rows[0]!;
          const messages = new Set(g.rows.map((r) => r.message));
          return (
            <List.Item key={`${g.region}|${g.code}|${first.handler}`} data-failure-region={g.region} data-testid="scan-failure">
              <Text size="sm">
                <b>{g.region}</b> · {g.rows.length === 1 ? kindLabel(kinds, first.handler) : `${g.rows.length} kinds: ${g.rows.map((r) => kindLabel(kinds, r.handler)).join(', ')}`} ·{' '}
                <Code>{g.code}</Code>
              </Text>
              <Text size="xs" c="dimmed">
                <RichText text={first.message} />
                {messages.size > 1 ? ` (and ${messages.size - 1} similar)` : ''}
              </Text>
              <Text size="sm">{failureAdvice(g.code, first.message, findKind(kinds, first.handler))}</Text>
            </List.Item>
          );
        })}
      </List>
    </Alert>
  );
}
