/**
 * The recovery list end to end on the simulator's sample account: scan → plan (an unattached volume with "snapshot
 * first", an idle RDS instance deleted with its final snapshot) → execute through the real pipeline → both copies are
 * recovery points with the ids AWS answered, the plan's price of each kept part, and a restore page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlan } from '../../cleanup/cleanup';
import { createPlan } from '../../cleanup/plan';
import { DEFAULT_HANDLER_SETTINGS } from '../../handlers/handler';
import { runScan } from '../../scan/scanner';
import { openSimSession, type SimSession } from '../../test-support/sim-session';
import { isAllowedExternalUrl } from '../../window/security';
import { listRecoveryPoints, RECOVERY_KIND_DEFS } from './recovery-points';

const R = 'us-east-1';
const VOLUME = 'vol-0a100000000000011';
const DB = 'orders-db';

let s: SimSession;
beforeAll(async () => {
  s = await openSimSession();
  const out = await runScan(s.scanDeps(), { regions: [R], skipDiscovery: true });
  expect(out.status).toBe('succeeded');
});
afterAll(async () => {
  await s.close();
});

const idOf = (rid: string): number => (s.db.sqlite.prepare('SELECT id FROM resources WHERE resource_id = ? AND unused = 1').get(rid) as { id: number }).id;

describe('recovery points after a real cleanup', () => {
  it('lists the safety snapshot of a deleted volume and the final snapshot of a deleted database, with ids, cost and link', async () => {
    const plan = await createPlan(
      { db: s.db, registry: s.registry, settings: DEFAULT_HANDLER_SETTINGS },
      { accountId: s.accountId, findingIds: [idOf(VOLUME), idOf(DB)], snapshotVolumes: true },
    );
    expect(plan.items.map((i) => [i.resourceId, i.action]).sort()).toEqual([
      [VOLUME, 'delete'],
      [DB, 'delete'],
    ].sort());
    const keptCost = (rid: string): number | null => plan.items.find((i) => i.resourceId === rid)?.related.find((p) => p.created === true)?.monthlyCost ?? null;
    expect(keptCost(VOLUME)).toBeGreaterThan(0);
    expect(keptCost(DB)).toBeGreaterThan(0);

    const run = await runPlan(
      { db: s.db, accountId: s.accountId, registry: s.registry, clients: s.clients, prices: s.scanDeps().prices, settings: DEFAULT_HANDLER_SETTINGS, dryRunFreshnessMs: null },
      { planId: plan.id, mode: 'execute', confirmAccountId: s.accountId },
    );
    expect(run.items.map((i) => [i.resourceId, i.outcome]).sort()).toEqual([
      [VOLUME, 'deleted'],
      [DB, 'deleted'],
    ].sort());
    const outcomeSnapshot = (rid: string): string | undefined => run.items.find((i) => i.resourceId === rid)?.safetySnapshotId;

    const page = await listRecoveryPoints(s.db.db, { accountId: s.accountId, now: new Date() });
    expect(page.total).toBe(2);
    const by = new Map(page.rows.map((p) => [p.kind, p]));
    const ebs = by.get('ebs-snapshot');
    const rds = by.get('rds-snapshot');
    // The ids AWS answered, as the run reported them and as the simulated account holds them.
    expect(ebs).toMatchObject({ id: outcomeSnapshot(VOLUME), resourceId: VOLUME, resourceRemoved: true, monthlyCost: keptCost(VOLUME), planId: plan.id });
    expect(rds).toMatchObject({ id: outcomeSnapshot(DB), resourceId: DB, resourceRemoved: true, monthlyCost: keptCost(DB), planId: plan.id });
    expect(ebs?.id).toMatch(/^snap-/);
    expect(rds?.id).toMatch(/^cloud-cleaner-final-orders-db-/);
    expect(s.sim.state.region(R).snapshots.has(ebs?.id ?? '')).toBe(true);
    expect(page).toMatchObject({ copies: 2, copiesUnknownCost: 0, restorable: 0 });
    expect(page.copiesMonthlyCost).toBeCloseTo((keptCost(VOLUME) ?? 0) + (keptCost(DB) ?? 0), 9);

    for (const p of [ebs, rds]) {
      expect(p?.retention).toEqual({ kind: 'until-deleted' });
      expect(p?.restoreUrlTemplate).toBe(RECOVERY_KIND_DEFS[p!.kind].restore);
      const url = p!.restoreUrlTemplate.replace('{host}', `${R}.console.aws.amazon.com`).replace('{region}', R).replace('{id}', encodeURIComponent(p!.id ?? ''));
      expect(isAllowedExternalUrl(url)).toBe(true);
      expect(url).toContain(p!.id);
    }
  });
});
