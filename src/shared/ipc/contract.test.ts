import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, EVENT_NAMES, channels, isChannelName, type CloudCleanerApi } from './contract';

describe('contract', () => {
  it('names every channel and event domain:action in kebab case', () => {
    for (const name of [...CHANNEL_NAMES, ...EVENT_NAMES]) expect(name).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
  });

  it('has the channels the renderer is built on', () => {
    for (const c of ['app:info', 'profiles:list', 'profiles:select', 'scans:start', 'findings:list', 'cleanup:execute', 'shell:open-external']) {
      expect(isChannelName(c)).toBe(true);
    }
    expect(isChannelName('toString')).toBe(false);
    expect(isChannelName('scans:nope')).toBe(false);
  });

  it('validates inputs: limits, ranges and unknown keys', () => {
    const list = channels['findings:list'].input;
    expect(list.parse({})).toMatchObject({ limit: 100, offset: 0 });
    expect(list.safeParse({ limit: 1001 }).success).toBe(false);
    expect(list.safeParse({ accountId: '123456789012' }).success).toBe(false); // the account is main's choice
    expect(list.safeParse({ sort: { column: 'monthly_cost', direction: 'desc' } }).success).toBe(false);
    expect(list.safeParse({ sort: { column: 'monthlyCost', direction: 'desc' }, regions: ['eu-west-1'] }).success).toBe(true);

    const plan = channels['cleanup:plan'].input;
    expect(plan.safeParse({ findingIds: [], snapshotVolumes: false }).success).toBe(false);
    expect(plan.safeParse({ findingIds: Array.from({ length: 1001 }, (_, i) => i + 1), snapshotVolumes: false }).success).toBe(false);
    expect(plan.safeParse({ findingIds: [1, 2], snapshotVolumes: true }).success).toBe(true);

    const exec = channels['cleanup:execute'].input;
    expect(exec.safeParse({ planId: 'p1', confirmAccountId: '12345' }).success).toBe(false);
    expect(exec.safeParse({ planId: 'p1', confirmAccountId: '123456789012' }).success).toBe(true);

    const upd = channels['settings:update'].input;
    expect(upd.safeParse({ lookbackDays: 396 }).success).toBe(false);
    expect(upd.safeParse({ protectionTagKey: '   ' }).success).toBe(false);
    expect(upd.safeParse({ protectionTagKey: 'k'.repeat(129) }).success).toBe(false);
    expect(upd.safeParse({ ceCacheHours: 169 }).success).toBe(false);
    expect(upd.safeParse({ scanConcurrency: 0 }).success).toBe(false);
    expect(upd.safeParse({ theme: 'blue' }).success).toBe(false);
    expect(upd.parse({ theme: 'dark', minServiceCost: 0 })).toEqual({ theme: 'dark', minServiceCost: 0 });

    const start = channels['scans:start'].input;
    expect(start.safeParse({ regions: 'all' }).success).toBe(true);
    expect(start.safeParse({ regions: ['us-east-1', 'us-gov-west-1', 'ap-southeast-5'] }).success).toBe(true);
    expect(start.safeParse({ regions: ['../etc'] }).success).toBe(false);
    expect(start.safeParse({ regions: [] }).success).toBe(false);

    expect(channels['app:info'].input.safeParse(undefined).success).toBe(true);
    expect(channels['app:info'].input.safeParse({}).success).toBe(false);
    expect(channels['auth:mfa-answer'].input.safeParse({ requestId: 'r', code: null }).success).toBe(true);
    expect(channels['auth:mfa-answer'].input.safeParse({ requestId: 'r', code: '12345' }).success).toBe(false);
    expect(channels['shell:open-external'].input.safeParse({ url: 'not a url' }).success).toBe(false);
    expect(channels['export:findings'].input.parse({ format: 'csv' })).toEqual({ format: 'csv', filter: {} });

    // Issue #21: the team store chosen in Settings.
    expect(channels['store:test'].input.safeParse({ url: '  ' }).success).toBe(false);
    expect(channels['store:test'].input.parse({ url: ' postgres://u:p@h/db ' })).toEqual({ url: 'postgres://u:p@h/db' });
    expect(channels['store:save'].input.safeParse({ url: 'postgres://u@h/db', confirmOlder: 'yes' }).success).toBe(false);
    expect(channels['store:save'].input.safeParse({ url: 'postgres://u@h/db', confirmOlder: true }).success).toBe(true);
    expect(channels['store:use-local'].input.safeParse(undefined).success).toBe(true);
    // An upload into the shared store is sent only once the user confirmed it.
    expect(channels['store:upload-history'].input.safeParse(undefined).success).toBe(false);
    expect(channels['store:upload-history'].input.safeParse({ confirm: false }).success).toBe(false);
    expect(channels['store:upload-history'].input.safeParse({ confirm: true }).success).toBe(true);
  });
});

// Compile-time checks of the derived API (tsc fails the build when they break; the function never runs).
export function typeChecks(api: CloudCleanerApi): void {
  void api.scans.start({ regions: 'all' });
  void api.cleanup.dryRun({ planId: 'p' });
  void api.costs.ceUsage();
  void api.shell.openExternal({ url: 'https://docs.aws.amazon.com/' });
  void api.scans.list();
  void api.export.findings({ format: 'json' });
  const off = api.scans.onProgress((p) => void p.totals.tasksDone);
  off();
  api.auth.onMfaRequest((r) => void r.mfaSerial.length);
  // @ts-expect-error -- scans.start needs its input
  void api.scans.start();
  // @ts-expect-error -- no generic invoke on the API
  void api.invoke;
}
