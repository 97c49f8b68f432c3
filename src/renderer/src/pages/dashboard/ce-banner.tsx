import { Alert, Button, Group, Text } from '@mantine/core';
import { asAppError } from '../../api/client';
import { describeError } from '../../api/describe-error';
import { navigate } from '../../app/routes';

/** Cost Explorer could not answer: say why and what to do, and that resource scanning does not need it. */
export function CostExplorerBanner({ error }: { error: unknown }): React.JSX.Element {
  const e = asAppError(error);
  const advice = describeError(e);
  return (
    <Alert color="yellow" title={advice.title} data-testid="ce-banner" data-error-code={e.code}>
      <Text size="sm">{advice.message}</Text>
      {advice.action && <Text size="sm">{advice.action}</Text>}
      <Group mt="xs" gap="sm">
        <Text size="sm" fw={600}>
          Scanning for unused resources still works without Cost Explorer.
        </Text>
        <Button size="xs" variant="light" onClick={() => navigate('scan')}>
          Go to Scan
        </Button>
      </Group>
    </Alert>
  );
}
