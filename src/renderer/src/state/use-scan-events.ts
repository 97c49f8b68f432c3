import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { api } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { formatCount, formatUsd } from '../lib/format';
import { scanProgressStore } from './scan-progress-store';

/** Root-level: feeds the progress store, refreshes data when a scan ends, and notifies. */
export function useScanEvents(): void {
  const qc = useQueryClient();
  useEffect(
    () =>
      api().scans.onProgress((e) => {
        scanProgressStore.apply(e);
        if (e.status === 'running') return;
        void qc.invalidateQueries({ queryKey: queryKeys.findingsRoot });
        void qc.invalidateQueries({ queryKey: queryKeys.scansRoot });
        // The services' bill reconciliation compares their spend with the findings' cost.
        void qc.invalidateQueries({ queryKey: queryKeys.servicesRoot });
        const summary = `${formatCount(e.totals.findings)} findings, ${formatUsd(e.totals.monthlySavings)}/month potential savings.`;
        switch (e.status) {
          case 'succeeded':
            notifications.show({ color: 'teal', title: 'Scan finished', message: summary });
            break;
          case 'partial':
            notifications.show({ color: 'yellow', title: 'Scan finished with failures', message: `${summary} Some regions or resource types failed: see the Scan page.` });
            break;
          case 'cancelled':
            notifications.show({ color: 'gray', title: 'Scan cancelled', message: summary });
            break;
          default:
            notifications.show({ color: 'red', title: 'Scan failed', message: 'See the Scan page for the errors.' });
        }
      }),
    [qc],
  );
}
