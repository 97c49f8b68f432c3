import { Badge, Button, Group, Text, Tooltip } from '@mantine/core';
import type { SessionDto } from '../../../shared/dto/aws';
import { navigate } from './routes';

/** Who the app is acting as: confirmed by STS before any page shows account data. */
export function AccountHeader({ session }: { session: SessionDto | null }): React.JSX.Element {
  if (!session) {
    return (
      <Text size="sm" c="dimmed" data-testid="account-none">
        No profile selected
      </Text>
    );
  }
  const { identity, account, profile } = session;
  return (
    <Group gap="xs" wrap="nowrap" data-testid="account-header">
      <Tooltip label={identity.arn} withArrow multiline maw={480}>
        <Badge variant="light" size="lg" tt="none" tabIndex={0}>
          <span data-testid="account-id">{account.id}</span>
          {account.alias ? ` · ${account.alias}` : ''}
        </Badge>
      </Tooltip>
      <Text size="sm" c="dimmed" visibleFrom="sm">
        profile <b data-testid="account-profile">{profile}</b>
      </Text>
      <Button size="compact-sm" variant="subtle" onClick={() => navigate('profiles')}>
        Switch
      </Button>
    </Group>
  );
}
