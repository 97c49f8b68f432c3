import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { api } from '../../api/client';
import { invalidateAfterOrgScan } from '../../api/queries-org';
import { formatCount } from '../../lib/format';
import { orgScanStore, runSummary } from './org-scan-store';

/** Root-level: feeds the many-account progress store; when a run ends, refreshes every account's data and notifies. */
export function useOrgScanEvents(): void {
  const qc = useQueryClient();
  useEffect(
    () =>
      api().org.onProgress((e) => {
        if (!orgScanStore.apply(e)) return;
        invalidateAfterOrgScan(qc);
        const run = orgScanStore.get();
        if (!run) return;
        const n = runSummary(run);
        const ok = n.succeeded + n.partial;
        const failed = n.failed;
        const words = [`${formatCount(ok)} ${ok === 1 ? 'account' : 'accounts'} scanned`];
        if (failed > 0) words.push(`${formatCount(failed)} failed`);
        if (n.cancelled > 0) words.push(`${formatCount(n.cancelled)} cancelled`);
        notifications.show({
          color: failed > 0 ? 'yellow' : n.cancelled > 0 ? 'gray' : 'teal',
          title: failed > 0 ? 'Accounts scanned, some failed' : n.cancelled > 0 ? 'Accounts scan cancelled' : 'Accounts scanned',
          message: `${words.join(', ')}. See the Accounts page.`,
        });
      }),
    [qc],
  );
}
