import { Card, Skeleton, Text } from '@mantine/core';

export function StatCard({ label, loading, children, testId }: { label: string; loading?: boolean; children: React.ReactNode; testId?: string }): React.JSX.Element {
  return (
    <Card withBorder padding="md" data-testid={testId}>
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        {label}
      </Text>
      {loading ? <Skeleton h={28} mt={6} /> : children}
    </Card>
  );
}
