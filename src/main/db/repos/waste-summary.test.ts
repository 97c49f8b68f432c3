import { beforeEach, expect, it } from 'vitest';
import type { Finding } from '../../handlers/handler';
import { describeEachDialect } from '../../test-support/dialects';
import { deleteFinding, writeFindings } from '../../test-support/seed-findings';
import type { AppDb } from '../store';
import { upsertAccount } from './accounts';
import { listFindings } from './resources';
import { createScan } from './scans';
import { wasteSummary } from './waste-summary';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';

function finding(id: string, type: string, region: string, savings: number | null, over: Partial<Finding> = {}): Finding {
  return {
    resourceType: type,
    resourceId: id,
    region,
    name: null,
    state: 'available',
    tags: {},
    createdAt: '2025-01-01T00:00:00.000Z',
    unused: true,
    unusedReason: 'test',
    unusedSince: null,
    monthlyCost: savings,
    monthlySavings: savings,
    costBasis: 'test',
    protected: false,
    protectedReason: null,
    details: {},
    ...over,
  };
}

describeEachDialect('wasteSummary', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
    await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
    await upsertAccount(h.db, { id: OTHER, alias: null, partition: 'aws', arn: null, profile: 'q' });
  });
  const writer = (account: string) => ({
    write: (rows: Finding[], scanId: number, now: string) => writeFindings(h, account, rows, scanId, { now, serviceCode: 'AmazonEC2Other' }),
  });

  it('groups the potential savings by kind and by region, largest first; the groups add up to the findings page total', async () => {
    const w = writer(ACCOUNT);
    const scan = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    await w.write(
      [
        finding('vol-1', 'ec2:volume', 'us-east-1', 10),
        finding('vol-2', 'ec2:volume', 'eu-west-1', 30),
        finding('vol-3', 'ec2:volume', 'eu-west-1', null), // unknown: counted, not summed
        finding('snap-1', 'ec2:snapshot', 'us-east-1', 5),
        finding('snap-2', 'ec2:snapshot', 'us-east-1', 100, { protected: true, protectedReason: 'tag' }), // protected: its own figure
        finding('eip-1', 'ec2:elastic-ip', 'us-east-1', 3.65),
        finding('eip-2', 'ec2:elastic-ip', 'us-east-1', 7, { unused: false, unusedReason: null }), // in use: not waste
        finding('db-1', 'rds:db-instance', 'ap-south-1', 50),
        finding('db-2', 'rds:db-instance', 'ap-south-1', 0),
      ],
      scan,
      '2026-11-01T00:00:00.000Z',
    );
    // Deleted rows and other accounts are not waste.
    await w.write([finding('vol-9', 'ec2:volume', 'us-east-1', 999)], scan, '2026-11-01T00:00:00.000Z');
    const gone = await h.db.selectFrom('resources').select('id').where('resource_id', '=', 'vol-9').executeTakeFirstOrThrow();
    await deleteFinding(h, gone.id);
    await writer(OTHER).write([finding('vol-x', 'ec2:volume', 'us-east-1', 500)], await createScan(h.db, { accountId: OTHER, kind: 'resources' }), '2026-11-01T00:00:00.000Z');

    const s = await wasteSummary(h.db, ACCOUNT);
    expect(s.totals).toEqual({ monthlySavings: 98.65, findings: 7, unknownCount: 1, protectedMonthlyCost: 100, protectedFindings: 1 });
    expect(s.byKind.map((g) => [g.key, g.savings.monthlySavings, g.savings.findings, g.savings.unknownCount])).toEqual([
      ['rds:db-instance', 50, 2, 0],
      ['ec2:volume', 40, 3, 1],
      ['ec2:snapshot', 5, 1, 0],
      ['ec2:elastic-ip', 3.65, 1, 0],
    ]);
    expect(s.byRegion.map((g) => [g.key, g.savings.monthlySavings])).toEqual([
      ['ap-south-1', 50],
      ['eu-west-1', 30],
      ['us-east-1', 18.65],
    ]);
    const sum = (gs: typeof s.byKind) => Math.round(gs.reduce((a, g) => a + g.savings.monthlySavings, 0) * 100) / 100;
    expect([sum(s.byKind), sum(s.byRegion)]).toEqual([98.65, 98.65]);
    // The same definition as the findings page's total.
    expect((await listFindings(h.db, { accountId: ACCOUNT, limit: 1 })).savings).toEqual(s.totals);
    // Top items: known, positive savings of unprotected findings, largest first, at most five.
    expect(s.top.map((r) => [r.resourceId, r.monthlySavings])).toEqual([
      ['db-1', 50],
      ['vol-2', 30],
      ['vol-1', 10],
      ['snap-1', 5],
      ['eip-1', 3.65],
    ]);
  });

  it('is empty, with zero totals, before any scan', async () => {
    const s = await wasteSummary(h.db, ACCOUNT);
    expect(s).toEqual({ totals: { monthlySavings: 0, findings: 0, unknownCount: 0, protectedMonthlyCost: 0, protectedFindings: 0 }, byKind: [], byRegion: [], top: [], ignored: { findings: 0, monthlySavings: 0 } });
  });
});
