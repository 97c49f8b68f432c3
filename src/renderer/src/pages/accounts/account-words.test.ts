import { describe, expect, it } from 'vitest';
import { accountLabel, roleWords, scanStatusColor, sourceLabel, taskWords } from './account-words';
import { createOrgScanStore, runSummary } from './org-scan-store';
import type { OrgScanProgressEvent } from '../../../../shared/dto/org';

const ev = (over: Partial<OrgScanProgressEvent>): OrgScanProgressEvent => ({
  runId: 'r1',
  accountId: '111111111111',
  status: 'running',
  scanId: null,
  findings: 0,
  monthlySavings: 0,
  tasksDone: 0,
  tasksTotal: 0,
  error: null,
  lastTask: null,
  done: false,
  ...over,
});

describe('account words', () => {
  it('names sources, roles and accounts plainly', () => {
    expect(sourceLabel('home')).toBe('this profile');
    expect(sourceLabel('manual')).toBe('added by you');
    expect(accountLabel({ accountId: '111111111111', name: 'prod' })).toBe('prod (111111111111)');
    expect(accountLabel({ accountId: '111111111111', name: null })).toBe('111111111111');
    expect(roleWords({ source: 'home', roleName: null, roleOverride: null }, 'Org')).toBeNull();
    expect(roleWords({ source: 'organization', roleName: 'Org', roleOverride: null }, 'Org')).toBe('Org (default)');
    expect(roleWords({ source: 'manual', roleName: 'Audit', roleOverride: 'Audit' }, 'Org')).toBe('Audit');
    expect(taskWords(0, 0)).toBe('');
    expect(taskWords(3, 12)).toBe('3 of 12 tasks');
    expect(scanStatusColor('failed')).toBe('red');
    expect(scanStatusColor('interrupted')).toBe('gray');
  });
});

describe('org scan store', () => {
  it('shows begun accounts as queued, applies events, ends when every account got its final event', () => {
    const s = createOrgScanStore();
    s.begin('r1', ['111111111111', '222222222222']);
    expect([...s.get()!.accounts.values()].map((e) => e.status)).toEqual(['queued', 'queued']);
    expect(s.apply(ev({ status: 'running', tasksDone: 1, tasksTotal: 4 }))).toBe(false);
    expect(s.get()!.accounts.get('111111111111')!.tasksDone).toBe(1);
    // Another run while this one goes: ignored.
    expect(s.apply(ev({ runId: 'r2', status: 'failed' }))).toBe(false);
    expect(s.get()!.runId).toBe('r1');
    expect(s.apply(ev({ status: 'succeeded' }))).toBe(false);
    // Main sends every account's final event at the end: the run ends with the last one.
    expect(s.apply(ev({ status: 'succeeded', done: true }))).toBe(false);
    expect(s.get()!.done).toBe(false);
    expect(s.apply(ev({ accountId: '222222222222', status: 'failed', done: true }))).toBe(true);
    expect(s.get()!.done).toBe(true);
    expect(runSummary(s.get()!)).toMatchObject({ succeeded: 1, failed: 1, queued: 0 });
    // A late event of the ended run changes nothing; a new run replaces it.
    expect(s.apply(ev({ status: 'running' }))).toBe(false);
    expect(s.get()!.accounts.get('111111111111')!.status).toBe('succeeded');
    s.apply(ev({ runId: 'r3', status: 'connecting' }));
    expect(s.get()!.runId).toBe('r3');
    expect(s.get()!.accounts.size).toBe(1);
  });

  it('keeps events that came before the start call returned', () => {
    const s = createOrgScanStore();
    s.apply(ev({ runId: 'r1', status: 'connecting' }));
    s.begin('r1', ['111111111111', '222222222222']);
    expect(s.get()!.accounts.get('111111111111')!.status).toBe('connecting');
    expect(s.get()!.accounts.get('222222222222')!.status).toBe('queued');
  });
});
