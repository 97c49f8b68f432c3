import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../handlers/handler';
import type { DbHandle } from '../db/connection';
import { openMemoryDatabase } from '../db/database';
import { upsertAccount } from '../db/repos/accounts';
import { ResourceWriter } from '../db/repos/resources';
import { createScan } from '../db/repos/scans';
import { setFindingSnoozes } from '../db/repos/snoozes';
import { findingsCommand } from './findings-command';

const A = '111122223333';
const vol = (id: string, cost: number): Finding => ({
  resourceType: 'ec2:volume', resourceId: id, region: 'eu-west-1', name: null, state: 'available', tags: {}, createdAt: null,
  unused: true, unusedReason: 'Not attached to any instance', unusedSince: null, monthlyCost: cost, monthlySavings: cost,
  costBasis: 'test', protected: false, protectedReason: null, details: {},
});

let h: DbHandle;
beforeEach(async () => {
  h = await openMemoryDatabase();
  await upsertAccount(h.db, { id: A, alias: null, partition: 'aws', arn: null, profile: 'p' });
  const scan = await createScan(h.db, { accountId: A, kind: 'resources' });
  new ResourceWriter(h.sqlite, A, () => 'AmazonEC2Other').write([vol('vol-1', 10), vol('vol-2', 20)], scan);
  await setFindingSnoozes(h.db, A, [{ resourceType: 'ec2:volume', region: 'eu-west-1', resourceId: 'vol-2' }], { reason: 'kept for the audit', until: null, now: new Date() });
});
afterEach(async () => {
  await h.close();
});

async function run(format: 'json' | 'csv' | 'table', mode?: 'exclude' | 'include' | 'only'): Promise<string> {
  const out: string[] = [];
  expect(await findingsCommand(h, A, format, { out: (s) => out.push(s), err: () => undefined }, mode)).toBe(0);
  return out.join('\n');
}

describe('findings command and ignored findings', () => {
  it('leaves them out by default and says so; lists them with the reason when asked', async () => {
    const table = await run('table');
    expect(table).not.toContain('vol-2');
    expect(table).toMatch(/1 findings, \$10\.00\/month to save; 1 ignored \(\$20\.00\/month, not counted\)/);
    expect(await run('table', 'only')).toMatch(/vol-2\t\$20\.00\t\tNot attached to any instance\tignored for good: kept for the audit/);
    const json = JSON.parse(await run('json', 'include')) as { ignored: { findings: number }; findings: { resourceId: string; ignored: { reason: string } | null }[] };
    expect(json.findings.map((f) => [f.resourceId, f.ignored?.reason ?? null])).toEqual([['vol-2', 'kept for the audit'], ['vol-1', null]]);
    expect(json.ignored.findings).toBe(1);
    const csv = (await run('csv', 'include')).split('\r\n');
    expect(csv[0]).toMatch(/,ignored,ignoredScope,ignoredReason,ignoredUntil$/);
    expect(csv.find((l) => l.includes('vol-2'))).toMatch(/,true,finding,kept for the audit,$/);
  });
});
