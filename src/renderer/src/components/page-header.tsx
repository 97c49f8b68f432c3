import { Group, Stack, Text, Title } from '@mantine/core';

export function PageHeader({ title, description, children }: { title: string; description?: string; children?: React.ReactNode }): React.JSX.Element {
  return (
    <Group justify="space-between" align="flex-end" mb="md" wrap="wrap">
      <Stack gap={2}>
        <Title order={2}>{title}</Title>
        {description && (
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        )}
      </Stack>
      {children && <Group gap="sm">{children}</Group>}
    </Group>
  );
}
