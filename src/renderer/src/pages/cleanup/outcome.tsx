import { Badge, Text } from '@mantine/core';
import type { CleanupItemResultDto } from '../../../../shared/dto/cleanup';

export type OutcomeKind = 'ok' | 'deleted' | 'refused' | 'failed' | 'cancelled';

/**
 * One item's result as a verdict, a colour and an explanation (re-check refusals included). `doneLabel`: what its
 * action did when it succeeded ("Stopped", "Paused"; default "deleted").
 */
export function outcomeOf(item: CleanupItemResultDto, doneLabel = 'deleted'): { kind: OutcomeKind; label: string; color: string; text: string } {
  // No AWS call and nothing against it at the re-check: the run was cancelled before this item started.
  if (item.outcome === null && item.recheck === 'unchanged') {
    return { kind: 'cancelled', label: 'cancelled', color: 'gray', text: item.recheckReason ?? 'Not started: the run was cancelled. Nothing was changed.' };
  }
  // The re-check speaks first: a resource that changed since the scan is refused whatever the outcome says.
  if (item.recheck !== 'unchanged' || item.outcome === null) {
    const why = item.recheckReason ?? (item.outcome?.kind === 'refused' ? item.outcome.reason : item.recheck);
    const label = item.recheck === 'changed' ? 'changed since scan' : item.recheck === 'gone' ? 'already gone' : item.recheck === 'protected' ? 'protected now' : 'not run';
    return { kind: 'refused', label, color: 'orange', text: why };
  }
  const o = item.outcome;
  switch (o.kind) {
    case 'dry-run-ok':
      return { kind: 'ok', label: 'dry run OK', color: 'teal', text: o.calls.join(', ') };
    // A kind whose API has no dry run: re-checked and its permissions simulated. Cleared like a dry run, never called one.
    case 'checked':
      return { kind: 'ok', label: 'checked', color: 'teal', text: [o.note, o.calls.join(', ')].filter(Boolean).join(' · ') };
    case 'deleted':
      return { kind: 'deleted', label: doneLabel.toLowerCase(), color: 'teal', text: [o.calls.join(', '), o.safetySnapshotId ? `${o.safetySnapshotId.startsWith('ami-') ? 'image' : 'snapshot'} ${o.safetySnapshotId} kept` : ''].filter(Boolean).join(' · ') };
    case 'unauthorized':
      return { kind: 'failed', label: 'not permitted', color: 'red', text: `${o.code}: ${o.message}` };
    case 'refused':
      return { kind: 'refused', label: 'refused', color: 'orange', text: o.reason };
    case 'failed':
      return { kind: 'failed', label: 'failed', color: 'red', text: `${o.code}: ${o.message}` };
  }
}

export function OutcomeBadge({ item, doneLabel }: { item: CleanupItemResultDto; doneLabel?: string }): React.JSX.Element {
  const o = outcomeOf(item, doneLabel);
  return (
    <>
      <Badge color={o.color} variant="light" data-outcome={o.kind}>
        {o.label}
      </Badge>
      <Text size="xs" c="dimmed" mt={2}>
        {o.text}
      </Text>
    </>
  );
}
