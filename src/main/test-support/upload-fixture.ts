/**
 * Test support for "upload my history" (src/main/db/upload-history.ts): a local history with every uploaded table
 * filled through the app's own repositories, and each store's contents with ids replaced by what they point at (so two
 * stores compare by content: the server's ids are its own).
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DbHandle } from '../db/connection';
import { upsertAccount } from '../db/repos/accounts';
import { recordCeRequests } from '../db/repos/ce-requests';
import { insertPlan, recordDryRun, updatePlanStatus, type PlanItemDto } from '../db/repos/cleanup-plans';
import { upsertCostHistory } from '../db/repos/cost-history';
import { completeDeletion, insertDecision, insertPendingDeletion } from '../db/repos/deletions';
import { saveAccount, saveListing } from '../db/repos/org-accounts';
import { EFFECTIVE_LAST_SCAN_SQL, EFFECTIVE_LAST_SEEN_SQL, ResourceWriter, markDeleted, markGone } from '../db/repos/resource-writer';
import { completeScan, createScan, recordScanFailure } from '../db/repos/scans';
import { saveDiscoveredServices } from '../db/repos/services';
import { setFindingSnoozes, setTagSnooze } from '../db/repos/snoozes';
import type { Database } from '../db/schema';
import type { Finding } from '../handlers/handler';

export const HOME = '111122223333';
export const MEMBER = '444455556666';
export const T = (day: number, hour = 0): string => new Date(Date.UTC(2026, 10, day, hour)).toISOString();

export function vol(id: string, over: Partial<Finding> = {}): Finding {
  return {
    resourceType: 'ec2:volume', resourceId: id, region: 'us-east-1', name: null, state: 'available', tags: {}, createdAt: null,
    unused: true, unusedReason: 'Not attached to any instance', unusedSince: null, monthlyCost: 8, costBasis: 'gp3 100 GiB', protected: false,
    protectedReason: null, details: {}, monthlySavings: 8, ...over,
  };
}

export interface LocalHistory {
  planId: string;
  /** The audit row left pending (its call's answer never came). */
  pendingDeletion: number;
}

/** Fills every uploaded table of `h`, as the app would: two scans of a task, a plan run, snoozes, caches. */
export async function fillLocalHistory(h: DbHandle): Promise<LocalHistory> {
  const { db, sqlite } = h;
  await upsertAccount(db, { id: HOME, alias: 'home', partition: 'aws', arn: `arn:aws:iam::${HOME}:root`, profile: 'dev' }, T(1));
  await upsertAccount(db, { id: MEMBER, alias: null, partition: 'aws', arn: null, profile: null }, T(1));
  await saveListing(db, HOME, { organizationId: 'o-abc', accounts: [{ accountId: MEMBER, name: 'Member', email: 'm@example.com' }] }, T(1));
  await saveAccount(db, HOME, { accountId: '777788889999', name: 'By hand', roleName: 'Auditor' }, T(1));

  const discovery = await createScan(db, { accountId: HOME, kind: 'discovery', startedAt: T(1) });
  const services = saveDiscoveredServices(sqlite, {
    accountId: HOME, period: { start: '2026-10-01', end: '2026-11-01' }, now: T(1),
    services: [
      { code: 'AmazonEC2', displayName: 'Amazon Elastic Compute Cloud', category: 'Compute', periodCost: 12.5, periodCostText: '12.5' },
      { code: 'AmazonS3', displayName: 'Amazon Simple Storage Service', category: 'Storage', periodCost: 0.001, periodCostText: '0.001' },
    ],
  });
  upsertCostHistory(sqlite, [1, 2, 3].flatMap((d) => [...services.values()].map((serviceId) => ({
    serviceId, date: `2026-10-0${d}`, cost: d * 0.1, costText: String(d / 10), usageQuantity: d, usageUnit: 'GB-Mo', estimated: d === 3,
  }))), T(1));
  await recordCeRequests(db, HOME, 4, new Date(T(1)));
  await completeScan(db, discovery, { status: 'succeeded', completedAt: T(1, 1), servicesFound: 2, requests: 4 });

  // Two scans of one task: the second sees vol-a and vol-b unchanged (no row written) and not vol-c (gone).
  const s1 = await createScan(db, { accountId: HOME, kind: 'resources', parentScanId: discovery, startedAt: T(2), regions: ['us-east-1'] });
  const writer = new ResourceWriter(sqlite, HOME, () => 'AmazonEC2');
  writer.write([vol('vol-a', { tags: { env: 'dev' } }), vol('vol-b'), vol('vol-c', { name: `it's "odd", {x}` })], s1, T(2));
  writer.write([vol('i-1', { resourceType: 'ec2:instance', region: 'eu-west-1', unused: false, unusedReason: null, monthlyCost: null })], s1, T(2));
  markGone(sqlite, { accountId: HOME, resourceType: 'ec2:volume', region: 'us-east-1', scanId: s1, seen: new Set(['vol-a', 'vol-b', 'vol-c']) }, T(2));
  await recordScanFailure(db, s1, { region: 'ap-south-1', handler: 'ec2:volume', errorCode: 'aws.access_denied', message: 'denied' });
  await completeScan(db, s1, { status: 'partial', completedAt: T(2, 1), tasksTotal: 3, tasksFailed: 1, findingsCount: 3 });
  const s2 = await createScan(db, { accountId: HOME, kind: 'resources', startedAt: T(3), regions: ['us-east-1'] });
  markGone(sqlite, { accountId: HOME, resourceType: 'ec2:volume', region: 'us-east-1', scanId: s2, seen: new Set(['vol-a', 'vol-b']) }, T(3));
  await completeScan(db, s2, { status: 'succeeded', completedAt: T(3, 1) });
  // Still running here: not uploaded, nor its failure.
  const running = await createScan(db, { accountId: MEMBER, kind: 'resources', startedAt: T(4) });
  await recordScanFailure(db, running, { region: 'us-east-1', handler: 'ec2:volume', errorCode: 'aws.throttled', message: 'slow down' });

  // A plan that deleted vol-b: a dry run, the real call, a refusal of an id that named nothing, one call left pending.
  const b = (sqlite.prepare(`SELECT id FROM resources WHERE resource_id = 'vol-b'`).get() as { id: number }).id;
  const planId = randomUUID();
  const item = { findingId: b, resourceType: 'ec2:volume', region: 'us-east-1', resourceId: 'vol-b', name: null, savings: 8 } as unknown as PlanItemDto;
  await insertPlan(db, {
    id: planId, accountId: HOME, createdAt: T(5), items: [item], monthlySavings: 8,
    refused: [{ findingId: 987654, resourceType: null, region: null, resourceId: null, reason: 'No such finding' }],
    options: { snapshotVolumes: false, addedParts: { [String(b)]: ['snap-1'] } },
  });
  const subject = { accountId: HOME, planId, resourcePk: b, resourceType: 'ec2:volume', region: 'us-east-1', resourceId: 'vol-b' };
  const dry = insertPendingDeletion(sqlite, { ...subject, action: 'DeleteVolume', target: 'vol-b', dryRun: true }, T(5, 1));
  completeDeletion(sqlite, dry, { outcome: 'dry-run-ok', dryRunResult: 'DryRunOperation' }, T(5, 1));
  await recordDryRun(db, planId, T(5, 1), [b]);
  const real = insertPendingDeletion(sqlite, { ...subject, action: 'DeleteVolume', target: 'vol-b', dryRun: false }, T(5, 2));
  completeDeletion(sqlite, real, { outcome: 'succeeded', details: { requestId: 'r-1' } }, T(5, 2));
  markDeleted(sqlite, b, T(5, 2));
  insertDecision(sqlite, { ...subject, resourcePk: null, resourceId: 'vol-x', action: 'Refuse', dryRun: false, outcome: 'refused', message: 'Protected' }, T(5, 2));
  const pendingDeletion = insertPendingDeletion(sqlite, { ...subject, action: 'DeleteSnapshot', target: 'snap-1', dryRun: false }, T(5, 3));
  await updatePlanStatus(db, planId, 'completed', T(5, 4));

  await setFindingSnoozes(db, HOME, [{ resourceType: 'ec2:volume', region: 'us-east-1', resourceId: 'vol-a' }], { reason: 'kept for now', until: T(20), now: new Date(T(6)) });
  await setTagSnooze(db, HOME, { key: 'env', value: 'dev' }, { reason: 'dev stuff', until: null, now: new Date(T(6)) });
  await db.insertInto('metric_series').values({
    account_id: HOME, region: 'us-east-1', query_key: 'AWS/EBS|VolumeReadOps|Sum|vol-a', start_time: T(1), end_time: T(3), points: '[["2026-11-01",0]]', fetched_at: T(3),
  }).execute();
  await db.insertInto('price_cache').values({ region: 'us-east-1', prices: '{"region":"us-east-1"}', fetched_at: T(1) }).execute();
  // Local preferences and this machine's leases are never uploaded.
  await db.insertInto('settings').values({ key: 'export.dir', value: '"/home/me/exports"' }).execute();
  return { planId, pendingDeletion };
}

type Rows = Record<string, unknown>[];
const omit = (r: Record<string, unknown>, ...keys: string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(r).filter(([k]) => !keys.includes(k)));

/**
 * A store's history with ids replaced by what they name: scans by (kind, started_at), services by code, resources by
 * (account, type, region, AWS id). Runs still going and run owners are left out (not uploaded).
 */
export async function contents(db: Kysely<Database>): Promise<Record<string, Rows>> {
  const q = async (query: RawBuilder<unknown>): Promise<Rows> => (await query.execute(db)).rows as Rows;
  const resKey = `r.account_id || '/' || r.resource_type || '/' || r.region || '/' || r.resource_id`;
  const keyById = new Map(
    (await q(sql`SELECT r.id, ${sql.raw(resKey)} AS k FROM resources r`)).map((r) => [r['id'] as number, r['k'] as string]),
  );
  const plans = (await q(sql`SELECT * FROM cleanup_plans WHERE status <> 'running' ORDER BY id`)).map((p) => {
    const items = JSON.parse(p['items'] as string) as { items: { findingId: number }[]; refused: { findingId: number }[] };
    const options = JSON.parse(p['options'] as string) as { addedParts?: Record<string, string[]>; lastDryRun?: { passed: number[] } };
    const name = (id: number): string => keyById.get(id) ?? 'nothing';
    return {
      ...omit(p, 'items', 'options', 'owner_pid', 'owner_start'),
      items: items.items.map((i) => ({ ...i, findingId: name(i.findingId) })),
      refused: items.refused.map((i) => ({ ...i, findingId: name(i.findingId) })),
      addedParts: Object.fromEntries(Object.entries(options.addedParts ?? {}).map(([k, v]) => [name(Number(k)), v])),
      passed: (options.lastDryRun?.passed ?? []).map(name),
    };
  });
  const scanKey = (alias: string): string => `${alias}.kind || '@' || ${alias}.started_at`;
  return {
    accounts: await q(sql`SELECT * FROM accounts ORDER BY id`),
    org_homes: await q(sql`SELECT * FROM org_homes ORDER BY home_account_id`),
    org_accounts: await q(sql`SELECT * FROM org_accounts ORDER BY home_account_id, account_id`),
    services: (await q(sql`SELECT * FROM services ORDER BY account_id, code`)).map((r) => omit(r, 'id')),
    cost_history: (await q(sql`SELECT s.code, c.* FROM cost_history c JOIN services s ON s.id = c.service_id ORDER BY s.code, c.date`)).map((r) => omit(r, 'id', 'service_id')),
    ce_requests: await q(sql`SELECT * FROM ce_requests ORDER BY account_id, day`),
    scans: (await q(sql`SELECT s.*, ${sql.raw(scanKey('p'))} AS parent FROM scans s LEFT JOIN scans p ON p.id = s.parent_scan_id
      WHERE s.status <> 'running' ORDER BY s.started_at, s.kind`)).map((r) => omit(r, 'id', 'parent_scan_id', 'owner_pid', 'owner_start')),
    scan_failures: (await q(sql`SELECT ${sql.raw(scanKey('s'))} AS scan, f.* FROM scan_failures f JOIN scans s ON s.id = f.scan_id
      WHERE s.status <> 'running' ORDER BY f.at, f.region`)).map((r) => omit(r, 'id', 'scan_id')),
    resources: (await q(sql`SELECT resources.*, ${sql.raw(EFFECTIVE_LAST_SEEN_SQL)} AS seen,
        (SELECT ${sql.raw(scanKey('s'))} FROM scans s WHERE s.id = ${sql.raw(EFFECTIVE_LAST_SCAN_SQL)}) AS scan
      FROM resources ORDER BY account_id, resource_type, region, resource_id`)).map((r) => omit(r, 'id', 'last_seen', 'last_scan_id')),
    resource_tasks: await q(sql`SELECT t.account_id, t.resource_type, t.region, t.last_seen, ${sql.raw(scanKey('s'))} AS scan
      FROM resource_tasks t LEFT JOIN scans s ON s.id = t.last_scan_id ORDER BY t.account_id, t.resource_type, t.region`),
    cleanup_plans: plans,
    deletions: (await q(sql`SELECT d.*, ${sql.raw(resKey)} AS resource FROM deletions d LEFT JOIN resources r ON r.id = d.resource_pk ORDER BY d.id`)).map((r) =>
      omit(r, 'id', 'resource_pk'),
    ),
    snoozes: (await q(sql`SELECT * FROM snoozes ORDER BY account_id, scope, resource_id, tag_key`)).map((r) => omit(r, 'id')),
    metric_series: await q(sql`SELECT * FROM metric_series ORDER BY account_id, region, query_key`),
    price_cache: await q(sql`SELECT * FROM price_cache ORDER BY region`),
  };
}

/** Every row of every table of a SQLite file (to show the upload never writes it). */
export function dumpSqlite(h: DbHandle): Record<string, unknown[]> {
  const tables = h.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[];
  return Object.fromEntries(tables.map((t) => [t.name, h.sqlite.prepare(`SELECT * FROM "${t.name}"`).all()]));
}
