import { Alert, Code, Button, Group, Stack, Text } from '@mantine/core';
import { CopyTextButton } from './copy-button';
import { asAppError } from '../api/client';
import { describeError } from '../api/describe-error';
import { RichText } from './rich-text';

interface ErrorAlertProps {
  error: unknown;
  profile?: string;
  /** The profile assumes a role with an MFA code (an STS denial then most likely means a wrong code). */
  mfa?: boolean;
  onRetry?: () => void;
}

/** An API error as an actionable alert: what happened, what to do, and a command to copy when there is one. */
export function ErrorAlert({ error, profile, mfa, onRetry }: ErrorAlertProps): React.JSX.Element {
  const e = asAppError(error);
  const advice = describeError(e, profile, { mfa: mfa ?? false });
  return (
    <Alert color="red" title={advice.title} data-error-code={e.code} role="alert">
      <Stack gap="xs">
        <Text size="sm">
          <RichText text={advice.message} />
        </Text>
        {advice.location && (
          <Text size="sm">
            Where: <Code>{advice.location}</Code>
          </Text>
        )}
        {advice.action && (
          <Text size="sm">
            <RichText text={advice.action} />
          </Text>
        )}
        {advice.command && (
          <Group gap="xs">
            <Code data-testid="error-command">{advice.command}</Code>
            <CopyTextButton value={advice.command}>
              {({ copied, copy }) => (
                <Button size="compact-xs" variant="light" color={copied ? 'teal' : 'gray'} onClick={copy}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyTextButton>
          </Group>
        )}
        {onRetry && (
          <Group>
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              Retry
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}
