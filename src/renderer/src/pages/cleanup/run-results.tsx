import { Table, Text } from '@mantine/core';
import type { CleanupItemResultDto, CleanupProgressEvent } from '../../../../shared/dto/cleanup';
import { useKinds } from '../../api/kinds';
import { actionOf, kindNoun } from '../../lib/kinds';
import { OutcomeBadge } from './outcome';
import { ResourceId } from './resource-id';

const stickyHead: React.CSSProperties = { position: 'sticky', top: 0, zIndex: 3, background: 'var(--mantine-color-body)' };

/**
 * Per-item results of a dry run or an execution; while running, the live phase of each item. The box takes the
 * height its parent gives (`style`), with a floor, and scrolls inside it.
 */
export function RunResults({ items, live, testId, style }: { items: CleanupItemResultDto[]; live?: ReadonlyMap<number, CleanupProgressEvent>; testId: string; style?: React.CSSProperties }): React.JSX.Element {
  const kinds = useKinds();
  return (
    <div style={{ minHeight: 200, overflow: 'auto', ...style }}>
      <Table layout="fixed" miw={640} data-testid={testId}>
        <colgroup>
          <col />
          <col style={{ width: 150 }} />
          <col style={{ width: '38%' }} />
        </colgroup>
        <Table.Thead style={stickyHead}>
          <Table.Tr>
            <Table.Th>Resource</Table.Th>
            <Table.Th>Region</Table.Th>
            <Table.Th>Result</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((it) => (
            <Table.Tr key={it.findingId} data-resource-id={it.resourceId} style={{ verticalAlign: 'top' }}>
              <Table.Td>
                <ResourceId id={it.resourceId} testId="result-id" />
                <Text size="xs" c="dimmed">
                  {kindNoun(kinds, it.resourceType)} · <span data-testid="result-action">{actionOf(kinds, it.resourceType, it.action)?.label ?? it.action}</span>
                </Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{it.region}</Table.Td>
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
    </div>
  );
}
