import { Tabs } from '@mantine/core';
import { PageHeader } from '../../components/page-header';
import { DeletionsHistory } from './deletions-history';
import { RecoveryPoints } from './recovery-points';
import { ScansHistory } from './scans-history';

export function HistoryPage(): React.JSX.Element {
  return (
    <>
      <PageHeader title="History" description="Scans of this account, each cleanup plan with what it changed (every AWS call stays in the audit log), and what was kept to restore." />
      <Tabs defaultValue="scans" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="scans" data-testid="tab-scans">
            Scans
          </Tabs.Tab>
          <Tabs.Tab value="deletions" data-testid="tab-deletions">
            Deletions
          </Tabs.Tab>
          <Tabs.Tab value="recovery" data-testid="tab-recovery">
            Recovery
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="scans">
          <ScansHistory />
        </Tabs.Panel>
        <Tabs.Panel value="deletions">
          <DeletionsHistory />
        </Tabs.Panel>
        <Tabs.Panel value="recovery">
          <RecoveryPoints />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
