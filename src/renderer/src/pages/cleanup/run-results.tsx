import { Table, Text } from '@mantine/core';
import type { CleanupItemResultDto, CleanupProgressEvent } from '../../../../shared/dto/cleanup';
import { useKinds } from '../../api/kinds';
import { actionOf, kindNoun } from '../../lib/kinds';
import { OutcomeBadge } from './outcome';

/** Per-item results of a dry run or an execution; while running, the live phase of each item. */
export function RunResults({ items, live, testId }: { items: CleanupItemResultDto[]; live?: ReadonlyMap<number, CleanupProgressEvent>; testId: string }): React.JSX.Element {
  const kinds = useKinds();
  return (
    <Table.ScrollContainer minWidth={560} mah={360}>
      <Table stickyHeader data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Resource</Table.Th>
            <Table.Th>Region</Table.Th>
            <Table.Th>Result</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((it) => (
            <Table.Tr key={it.findingId} data-resource-id={it.resourceId}>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {it.resourceId}
                </Text>
                <Text size="xs" c="dimmed">
                  {kindNoun(kinds, it.resourceType)} · <span data-testid="result-action">{actionOf(kinds, it.resourceType, it.action)?.label ?? it.action}</span>
                </Text>
              </Table.Td>
              <Table.Td>{it.region}</Table.Td>
              <Table.Td>
                {live && !it.outcome && it.recheck === 'unchanged' ? (
                  <Text size="sm" data-phase={live.get(it.findingId)?.phase ?? 'queued'}>
                    {live.get(it.findingId)?.phase ?? 'queued'}
                  </Text>
                ) : (
                  <OutcomeBadge item={it} doneLabel={actionOf(kinds, it.resourceType, it.action)?.doneLabel} />
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
