import { Text } from '@mantine/core';

/** A resource in a list of largest items: its name (or id), then its kind, region and (when named) its id. */
export function ResourceSummary({ name, resourceId, kind, region }: { name: string | null; resourceId: string; kind: string; region: string }) {
  return (
    <>
      <Text size="sm">{name ?? resourceId}</Text>
      <Text size="xs" c="dimmed">
        {kind} · {region}
        {name ? ` · ${resourceId}` : ''}
      </Text>
    </>
  );
}
