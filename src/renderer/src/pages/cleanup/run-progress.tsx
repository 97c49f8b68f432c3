import { Group, Progress, Stack, Text } from '@mantine/core';
import { formatCount } from '../../lib/format';
import type { CleanupProgress } from './use-cleanup-progress';

/** What main is doing now, from how many items reached each phase (it re-checks all, then dry-runs all, then deletes). */
function stageText(p: CleanupProgress, mode: 'dry-run' | 'execute'): string {
  const of = (n: number): string => `${formatCount(n)} of ${formatCount(p.total)}`;
  if (p.rechecked < p.total) return `Re-checking each resource against AWS (${of(p.rechecked)})…`;
  if (mode === 'dry-run' || p.dryRun < p.total) return `Asking AWS for a dry run of each action (${of(p.dryRun)})…`;
  return `Running the actions (${of(p.done)})…`;
}

/**
 * A determinate bar and "n of N done" from before the first item: the bar weighs each item's phase, so it moves during
 * the re-checks too. Stays when the run has ended: the count then says how many items ended.
 */
export function RunProgress({ progress, running, mode }: { progress: CleanupProgress; running: boolean; mode: 'dry-run' | 'execute' }): React.JSX.Element {
  const percent = progress.percent;
  return (
    <Stack gap={4} data-testid="run-progress" data-running={running}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" data-testid="run-progress-count" data-done={progress.done} data-total={progress.total}>
          <b>
            {formatCount(progress.done)} of {formatCount(progress.total)}
          </b>{' '}
          {mode === 'dry-run' ? 'checked' : 'done'}
        </Text>
        <Text size="xs" c="dimmed" data-testid="run-progress-stage">
          {running ? stageText(progress, mode) : mode === 'dry-run' ? 'Dry run finished.' : 'Finished.'}
        </Text>
      </Group>
      <Progress value={percent} animated={running} aria-label={mode === 'dry-run' ? 'Dry run progress' : 'Deletion progress'} data-percent={Math.round(percent)} />
    </Stack>
  );
}
