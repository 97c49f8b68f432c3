/**
 * Actions short of deleting go through the same pipeline as a delete: plan (savings of the action chosen, explicit
 * actions only by name, refusals per finding) → re-check (the action must still apply) → verify (the action's own IAM
 * calls) → confirm → audit (which action ran). A kind defined here, not one of the app's: the pipeline knows no kind.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import type { KindActionDto } from '../../shared/dto/kinds';
import { openMemoryDatabase } from '../db/database';
import type { DbHandle } from '../db/connection';
import { upsertAccount } from '../db/repos/accounts';
import { ResourceWriter } from '../db/repos/resources';
import type { DeletionRow } from '../db/schema';
import { DEFAULT_HANDLER_SETTINGS, NoClientError } from '../handlers/handler';
import type { DeleteContext, Finding, ItemParts, PartsOptions, ResourceHandler, StoredFinding } from '../handlers/handler';
import { createHandlerRegistry, describeKind } from '../handlers/registry';
import type { HandlerRegistry } from '../handlers/registry';
import { runPlan } from './cleanup';
import { createPlan } from './plan';
import type { RunPlanDeps } from './types';

const ACCOUNT = '111122223333';

const ACTIONS: KindActionDto[] = [
  { id: 'delete', label: 'Delete, keep a final snapshot', doneLabel: 'Deleted', description: 'Snapshot, then delete', removes: true, iam: ['acme:CreateSnapshot', 'acme:DeleteDb'] },
  { id: 'delete-without-snapshot', label: 'Delete without a snapshot', doneLabel: 'Deleted', description: 'Delete; nothing kept', removes: true, iam: ['acme:DeleteDb'], explicit: true },
  { id: 'stop', label: 'Stop', doneLabel: 'Stopped', description: 'Stop; storage stays billed', warning: 'AWS starts it again after seven days', removes: false, iam: ['acme:StopDb'] },
];

/** The fake account: database name → state. The kind's re-check and actions read and change it. */
let world: Map<string, { state: 'available' | 'stopped' | 'deleted'; snapshots: string[] }>;
let calls: { action: string | undefined; id: string }[];

function finding(id: string, state: string): Finding {
  return {
    resourceType: 'acme:db',
    resourceId: id,
    region: 'us-east-1',
    name: null,
    state,
    tags: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    unused: true,
    unusedReason: 'No connections for 30 days',
    unusedSince: '2026-11-01T00:00:00.000Z',
    monthlyCost: 110,
    costBasis: 'compute $100 + storage $10',
    protected: false,
    protectedReason: null,
    details: {},
  };
}

const dbKind: ResourceHandler = {
  type: 'acme:db',
  label: 'Idle test databases',
  noun: 'test database',
  category: 'Database',
  serviceCodes: ['AcmeDb'],
  billingServiceCode: 'AcmeDb',
  consoleUrl: null,
  iam: { scan: ['acme:ListDbs'], action: ['acme:CreateSnapshot', 'acme:DeleteDb', 'acme:StopDb'] },
  actionLabel: 'Delete',
  actions: ACTIONS,
  verification: { method: 'permission-check', description: 'Re-checked, permissions simulated' },
  detailFields: [],
  deleteOrder: 50,
  async *scan() {
    yield [...world.entries()].map(([id, w]) => finding(id, w.state));
  },
  actionRefusal(f, action) {
    if (action === 'stop' && f.state !== 'available') return `It is ${f.state ?? 'in an unknown state'}: only a running database can be stopped`;
    return null;
  },
  recheck(_ctx, f: StoredFinding) {
    const w = world.get(f.resourceId);
    if (w === undefined || w.state === 'deleted') return Promise.resolve({ status: 'gone', reason: 'No longer exists' });
    return Promise.resolve({ status: 'unchanged', current: finding(f.resourceId, w.state) });
  },
  parts(f: Finding, _s, o: PartsOptions): ItemParts {
    if (o.action === 'stop') return { own: { monthlyCost: 100, costBasis: 'compute $100; storage $10 stays billed while stopped' }, parts: [] };
    const snapshot =
      o.action === 'delete-without-snapshot'
        ? []
        : [
            {
              resourceType: 'acme:snapshot',
              resourceId: `final snapshot of ${f.resourceId}`,
              fate: 'kept' as const,
              note: 'Taken before the delete and kept',
              monthlyCost: 4,
              costBasis: '40 GB × $0.10',
              tags: {},
              protected: false,
              protectedReason: null,
              addable: false,
              created: true,
            },
          ];
    return { own: { monthlyCost: 110, costBasis: 'compute $100 + storage $10' }, parts: snapshot };
  },
  async delete(ctx: DeleteContext, f: StoredFinding, opts) {
    if (opts.dryRun) return { kind: 'checked', calls: [], note: 'nothing to dry-run' };
    calls.push({ action: ctx.action, id: f.resourceId });
    const w = world.get(f.resourceId);
    if (w === undefined) return { kind: 'failed', code: 'NotFound', message: 'gone' };
    if (ctx.action === 'stop') {
      await ctx.audited({ action: 'StopDb', target: f.resourceId, dryRun: false }, () => Promise.resolve({}));
      w.state = 'stopped';
      return { kind: 'deleted', calls: [`StopDb ${f.resourceId}`] };
    }
    const made: string[] = [];
    if (ctx.action !== 'delete-without-snapshot') {
      await ctx.audited({ action: 'CreateSnapshot', target: f.resourceId, dryRun: false }, () => Promise.resolve({}));
      w.snapshots.push(`final-${f.resourceId}`);
      made.push(`CreateSnapshot ${f.resourceId}`);
    }
    await ctx.audited({ action: 'DeleteDb', target: f.resourceId, dryRun: false }, () => Promise.resolve({}));
    w.state = 'deleted';
    return { kind: 'deleted', calls: [...made, `DeleteDb ${f.resourceId}`] };
  },
};

let h: DbHandle;
let registry: HandlerRegistry;
let permissionAsks: string[][];

beforeEach(async () => {
  world = new Map([
    ['db-a', { state: 'available', snapshots: [] }],
    ['db-b', { state: 'available', snapshots: [] }],
    ['db-c', { state: 'stopped', snapshots: [] }],
  ]);
  calls = [];
  permissionAsks = [];
  h = await openMemoryDatabase();
  await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: null });
  registry = createHandlerRegistry();
  registry.register(dbKind);
  const page: Finding[] = [];
  for await (const p of dbKind.scan({} as never)) page.push(...p);
  new ResourceWriter(h.sqlite, ACCOUNT, () => 'AcmeDb').write(page.map((f) => ({ ...f, monthlySavings: 106 })), null);
});
afterEach(async () => {
  await h.close();
});

const idOf = (resourceId: string): number =>
  (h.sqlite.prepare('SELECT id FROM resources WHERE resource_id = ?').get(resourceId) as { id: number }).id;
const statusOf = (resourceId: string): string =>
  (h.sqlite.prepare('SELECT status FROM resources WHERE resource_id = ?').get(resourceId) as { status: string }).status;
const audit = (planId: string): DeletionRow[] => h.sqlite.prepare('SELECT * FROM deletions WHERE plan_id = ? ORDER BY id').all(planId) as DeletionRow[];

function deps(): RunPlanDeps {
  return {
    db: h,
    accountId: ACCOUNT,
    registry,
    clients: {
      client: (ctor) => {
        throw new NoClientError(ctor.name);
      },
    },
    prices: { forRegion: () => null },
    settings: DEFAULT_HANDLER_SETTINGS,
    dryRunFreshnessMs: null,
    permissionCheck: (actions) => {
      permissionAsks.push([...actions]);
      return Promise.resolve({ status: 'allowed', note: 'Permissions simulated: allowed' });
    },
  };
}

const plan = (findingIds: number[], actions?: { findingId: number; action: string }[]) =>
  createPlan({ db: h, registry, settings: DEFAULT_HANDLER_SETTINGS }, { accountId: ACCOUNT, findingIds, snapshotVolumes: false, ...(actions ? { actions } : {}) });

describe('actions in the plan', () => {
  it('describes the actions the kind declares, the default first; a kind without actions has one delete', () => {
    expect(describeKind(dbKind).actions.map((a) => a.id)).toEqual(['delete', 'delete-without-snapshot', 'stop']);
    const { actions: _omit, ...plain } = dbKind;
    expect(describeKind({ ...plain, type: 'acme:plain' }).actions).toEqual([
      { id: 'delete', label: 'Delete', doneLabel: 'Deleted', description: 'Delete it', removes: true, iam: ['acme:CreateSnapshot', 'acme:DeleteDb', 'acme:StopDb'] },
    ]);
  });

  it('refuses a kind whose default would be an explicit action, and two actions with one id', () => {
    const r = createHandlerRegistry();
    const explicitFirst = ACTIONS[1] as KindActionDto;
    expect(() => r.register({ ...dbKind, type: 'acme:x', actions: [explicitFirst, ...ACTIONS] })).toThrow(/cannot be explicit/);
    expect(() => r.register({ ...dbKind, type: 'acme:y', actions: [...ACTIONS, ACTIONS[2] as KindActionDto] })).toThrow(/share an id/);
  });

  it('the default action is delete with its final snapshot: the savings are net of the snapshot that stays', async () => {
    const p = await plan([idOf('db-a')]);
    expect(p.items[0]).toMatchObject({ action: 'delete', actionLabel: 'Delete, keep a final snapshot', actionRemoves: true, savings: 106 });
    expect(p.items[0]?.savingsBasis).toBe('itself $110.00 − new acme:snapshot final snapshot of db-a $4.00');
  });

  it('each item gets the savings of the action chosen for it', async () => {
    const p = await plan([idOf('db-a'), idOf('db-b')], [
      { findingId: idOf('db-a'), action: 'stop' },
      { findingId: idOf('db-b'), action: 'delete-without-snapshot' },
    ]);
    const by = new Map(p.items.map((i) => [i.resourceId, i]));
    expect(by.get('db-a')).toMatchObject({ action: 'stop', actionRemoves: false, savings: 100 });
    expect(by.get('db-b')).toMatchObject({ action: 'delete-without-snapshot', savings: 110 });
    expect(p.monthlySavings).toBe(210);
  });

  it('refuses an action that does not apply to the finding, with the kind’s reason, and keeps the others', async () => {
    const p = await plan([idOf('db-a'), idOf('db-c')], [{ findingId: idOf('db-c'), action: 'stop' }]);
    expect(p.items.map((i) => i.resourceId)).toEqual(['db-a']);
    expect(p.refused).toEqual([expect.objectContaining({ resourceId: 'db-c', reason: expect.stringMatching(/only a running database can be stopped/) })]);
  });

  it('rejects an action the kind does not have, one naming a finding outside the plan, and two actions for one finding', async () => {
    await expect(plan([idOf('db-a')], [{ findingId: idOf('db-a'), action: 'pause' }])).rejects.toThrow(/no action "pause".*delete, delete-without-snapshot, stop/);
    await expect(plan([idOf('db-a')], [{ findingId: idOf('db-b'), action: 'stop' }])).rejects.toThrow(AppError);
    await expect(
      plan([idOf('db-a')], [
        { findingId: idOf('db-a'), action: 'stop' },
        { findingId: idOf('db-a'), action: 'delete' },
      ]),
    ).rejects.toThrow(/two actions/);
  });
});

describe('actions in the cleanup', () => {
  it('a stop runs through re-check, the permission check of its own IAM calls, confirmation and audit; the finding stays', async () => {
    const p = await plan([idOf('db-a')], [{ findingId: idOf('db-a'), action: 'stop' }]);
    const dry = await runPlan(deps(), { planId: p.id, mode: 'dry-run' });
    expect(dry.items[0]).toMatchObject({ action: 'stop', outcome: 'checked' });
    expect(permissionAsks).toEqual([['acme:StopDb']]);
    expect(calls).toEqual([]); // verified without a call to the service

    const run = await runPlan(deps(), { planId: p.id, mode: 'execute', confirmAccountId: ACCOUNT });
    expect(run.items[0]).toMatchObject({ action: 'stop', outcome: 'deleted', calls: ['StopDb db-a'] });
    expect(calls).toEqual([{ action: 'stop', id: 'db-a' }]);
    expect(world.get('db-a')?.state).toBe('stopped');
    // Stopped, not deleted: the finding is not marked deleted (the next scan judges it again).
    expect(statusOf('db-a')).not.toBe('deleted');
    const rows = audit(p.id);
    const stop = rows.find((r) => r.action === 'StopDb');
    expect(stop).toMatchObject({ outcome: 'succeeded', target: 'db-a' });
    expect(JSON.parse(stop?.details ?? '{}')).toMatchObject({ planAction: 'stop' });
    const check = rows.find((r) => r.action === 'CheckPermissions');
    expect(JSON.parse(check?.details ?? '{}')).toMatchObject({ planAction: 'stop', actions: ['acme:StopDb'] });
  });

  it('the default delete takes its snapshot first and marks the finding deleted; the audit names the action', async () => {
    const p = await plan([idOf('db-b')]);
    await runPlan(deps(), { planId: p.id, mode: 'dry-run' });
    expect(permissionAsks).toEqual([['acme:CreateSnapshot', 'acme:DeleteDb']]);
    const run = await runPlan(deps(), { planId: p.id, mode: 'execute', confirmAccountId: ACCOUNT });
    expect(run.items[0]).toMatchObject({ action: 'delete', outcome: 'deleted', calls: ['CreateSnapshot db-b', 'DeleteDb db-b'] });
    expect(world.get('db-b')).toEqual({ state: 'deleted', snapshots: ['final-db-b'] });
    expect(statusOf('db-b')).toBe('deleted');
    const actions = audit(p.id).filter((r) => !r.dry_run).map((r) => [r.action, JSON.parse(r.details).planAction]);
    expect(actions).toEqual([
      ['CreateSnapshot', 'delete'],
      ['DeleteDb', 'delete'],
    ]);
  });

  it('an action that no longer applies when re-checked is refused before any call (stopped since the plan)', async () => {
    const p = await plan([idOf('db-a')], [{ findingId: idOf('db-a'), action: 'stop' }]);
    (world.get('db-a') as { state: string }).state = 'stopped';
    const dry = await runPlan(deps(), { planId: p.id, mode: 'dry-run' });
    expect(dry.items[0]).toMatchObject({ outcome: 'refused', recheck: 'changed', reason: expect.stringMatching(/only a running database/) });
    expect(permissionAsks).toEqual([]);
    expect(calls).toEqual([]);
  });
});
