import { Alert, Code, List, Text } from '@mantine/core';
import { useKinds } from '../../api/kinds';
import { findKind, kindLabel } from '../../lib/kinds';
import { failureAdvice } from './failure-advice';

export interface FailureRow {
  region: string;
  handler: string;
  /** The AWS error code when known (AuthFailure, UnauthorizedOperation…), else the app's code. */
  code: string;
  message: string;
}

/** Failed tasks with their AWS error code and what to do about each. */
export function ScanFailures({ failures }: { failures: FailureRow[] }): React.JSX.Element | null {
  const kinds = useKinds();
  if (failures.length === 0) return null;
  return (
    <Alert color="orange" title={`${failures.length} task${failures.length === 1 ? '' : 's'} failed — the rest of the scan is kept`} data-testid="scan-failures">
      <List spacing="sm" size="sm">
        {failures.map((f) => (
          <List.Item key={`${f.region}|${f.handler}|${f.code}`} data-failure-region={f.region}>
            <Text size="sm">
              <b>{f.region}</b> · {kindLabel(kinds, f.handler)} · <Code>{f.code}</Code>
            </Text>
            <Text size="xs" c="dimmed">
              {f.message}
            </Text>
            <Text size="sm">{failureAdvice(f.code, f.message, findKind(kinds, f.handler))}</Text>
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
