import { Alert, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { RunElsewhereDto } from '../../../../shared/dto/scans';
import { api } from '../../api/client';
import { queryKeys } from '../../api/query-keys';

const hhmm = (iso: string): string => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/** "A scan of this account is running on alice-laptop (alice, pid 4242) since 10:02." */
export function runElsewhereText(r: RunElsewhereDto): string {
  const who = [r.user, r.pid !== null ? `pid ${r.pid}` : null].filter((x) => x !== null).join(', ');
  return `A ${r.kind} of this account is running on ${r.host}${who ? ` (${who})` : ''} since ${hhmm(r.since)}.`;
}

/**
 * Scans and cleanups of this account that another process holds (the CLI, or a teammate's app on the shared store):
 * the app cannot start its own until they end, so it says who and since when. Polled every 10 s.
 */
export function RunsElsewhere({ accountId }: { accountId: string }) {
  const runs = useQuery({ queryKey: queryKeys.runsElsewhere(accountId), queryFn: () => api().runs.elsewhere(), refetchInterval: 10_000 });
  if (!runs.data || runs.data.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="runs-elsewhere">
      {runs.data.map((r) => (
        <Alert key={r.kind} color="yellow" title={r.kind === 'scan' ? 'Scan running elsewhere' : 'Cleanup running elsewhere'}>
          {runElsewhereText(r)} A new {r.kind} can start when it ends; if that process crashed, its claim runs out at {hhmm(r.expiresAt)}.
        </Alert>
      ))}
    </Stack>
  );
}
