/**
 * A resource kind is a plugin: one defined only here — a made-up "gadget" service with its own SDK-like client stub —
 * shows up, with no other source file changed, in discovery coverage, the kind list the renderer builds its labels,
 * filters, console links and drawer from, the scan's results, the findings filters, the drawer, the cleanup review
 * (verified by its own strategy: no DryRun in its API, so re-check + permission check, reported as "checked") and
 * the CLI's JSON. The rest of the account is the simulator's sample account, scanned by the built-in kinds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../e2e/aws-sim/index';
import { clearCredentialCache } from '../aws/credentials';
import { openAndMigrate } from '../db/database';
import type { DbHandle } from '../db/connection';
import type { Finding, ResourceHandler } from '../handlers/handler';
import { tagsToRecord } from '../handlers/handler';
import { scanCommand } from '../cli/scan-command';
import { builtinRegistry } from './account-session';
import { createAppServices } from './app-services';
import { until } from '../test-support/poll';

/** The made-up service's state: gadgets per region. */
const gadgets = new Map<string, { id: string; idleDays: number; sizeGiB: number; tags: { Key: string; Value: string }[] }[]>();

/** An SDK-like client for the made-up service: the factory builds it like any other (region, endpoint, retries). */
class GadgetClient {
  readonly config = { serviceId: 'Gadget' };
  readonly region: string;
  constructor(config: { region: string }) {
    this.region = config.region;
  }
  async send(command: { op: 'List' } | { op: 'Get'; id: string } | { op: 'Delete'; id: string }): Promise<unknown> {
    const list = gadgets.get(this.region) ?? [];
    switch (command.op) {
      case 'List':
        return { Gadgets: list.map((g) => ({ ...g })) };
      case 'Get':
        return { Gadget: list.find((g) => g.id === command.id) ?? null };
      case 'Delete':
        gadgets.set(this.region, list.filter((g) => g.id !== command.id));
        return {};
    }
  }
  destroy(): void {}
}

const toFinding = (region: string, g: { id: string; idleDays: number; sizeGiB: number; tags: { Key: string; Value: string }[] }, settingsKey: string, idleDays: number): Finding => {
  const tags = tagsToRecord(g.tags);
  // The kind's own setting (declared below, stored like the app's, passed in ctx.settings.kinds).
  const unused = g.idleDays >= idleDays;
  const protectedReason = tags[settingsKey] !== undefined ? `Tagged ${settingsKey}` : null;
  return {
    resourceType: 'gadget:widget',
    resourceId: g.id,
    region,
    name: tags['Name'] ?? null,
    state: unused ? 'idle' : 'busy',
    tags,
    createdAt: null,
    unused,
    unusedReason: unused ? `No use for ${g.idleDays} days` : null,
    unusedSince: null,
    monthlyCost: g.sizeGiB * 0.5,
    costBasis: `${g.sizeGiB} GiB × $0.50 (made up)`,
    protected: protectedReason !== null,
    protectedReason,
    details: { sizeGiB: g.sizeGiB, idleDays: g.idleDays },
  };
};

const gadgetKind: ResourceHandler = {
  type: 'gadget:widget',
  label: 'Idle gadgets',
  noun: 'Gadget',
  category: 'Storage',
  // The sample account's bill has a DynamoDB line: the made-up kind claims it, so discovery shows it covered.
  serviceCodes: ['AmazonDynamoDB'],
  billingServiceCode: 'AmazonDynamoDB',
  consoleUrl: 'https://{host}/gadgets/home?region={region}#gadget={id}',
  iam: { scan: ['gadget:ListGadgets'], action: ['gadget:DeleteGadget'] },
  actionLabel: 'Delete',
  verification: { method: 'permission-check', description: 'No DryRun in the Gadget API: re-checked, and the permission simulated' },
  detailFields: [
    { key: 'sizeGiB', label: 'Size', unit: 'GiB' },
    { key: 'idleDays', label: 'Idle for', unit: 'days' },
  ],
  settings: [
    { key: 'gadgetIdleDays', label: 'Idle for at least', description: 'A gadget is flagged after this many idle days.', type: 'integer', unit: 'days', default: 30, min: 1, max: 365 },
  ],
  deleteOrder: 60,
  async *scan(ctx) {
    const out = (await ctx.client(GadgetClient).send({ op: 'List' })) as { Gadgets: { id: string; idleDays: number; sizeGiB: number; tags: { Key: string; Value: string }[] }[] };
    yield out.Gadgets.map((g) => toFinding(ctx.region, g, ctx.settings.protectionTagKey, ctx.settings.kinds?.['gadgetIdleDays'] ?? 30));
  },
  async recheck(ctx, stored) {
    const out = (await ctx.client(GadgetClient).send({ op: 'Get', id: stored.resourceId })) as { Gadget: { id: string; idleDays: number; sizeGiB: number; tags: { Key: string; Value: string }[] } | null };
    if (out.Gadget === null) return { status: 'gone', reason: 'The gadget no longer exists' };
    const current = toFinding(ctx.region, out.Gadget, ctx.settings.protectionTagKey, ctx.settings.kinds?.['gadgetIdleDays'] ?? 30);
    if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
    return current.unused ? { status: 'unchanged', current } : { status: 'changed', reason: 'In use again', current };
  },
  async delete(ctx, stored, { dryRun }) {
    if (dryRun) return { kind: 'failed', code: 'NoDryRun', message: 'The Gadget API has no DryRun: this kind is verified by a permission check' };
    const call = { action: 'DeleteGadget', target: stored.resourceId, dryRun };
    await ctx.audited(call, () => ctx.client(GadgetClient).send({ op: 'Delete', id: stored.resourceId }));
    return { kind: 'deleted', calls: [`DeleteGadget ${stored.resourceId}`] };
  },
  parts: (finding) => ({ own: { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis }, parts: [] }),
};

let sim: Simulator;
let dir: string;
let db: DbHandle;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  sim = await startSimulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-kind-'));
  fs.writeFileSync(path.join(dir, 'config'), `[profile sim]\nregion = us-east-1\nendpoint_url = ${sim.endpoint}\n`);
  fs.writeFileSync(path.join(dir, 'credentials'), '[sim]\naws_access_key_id = AKIDSIMTEST\naws_secret_access_key = sim-secret\n');
  const env: Record<string, string | undefined> = {
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
    AWS_PROFILE: undefined,
  };
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  clearCredentialCache();
  gadgets.set('us-east-1', [
    { id: 'gad-idle', idleDays: 90, sizeGiB: 20, tags: [{ Key: 'Name', Value: 'old-gadget' }] },
    { id: 'gad-busy', idleDays: 0, sizeGiB: 5, tags: [] },
    { id: 'gad-kept', idleDays: 200, sizeGiB: 8, tags: [{ Key: 'cloud-cleaner:keep', Value: 'true' }] },
  ]);
  db = await openAndMigrate({ file: path.join(dir, 'app.db') });
});
afterAll(async () => {
  await db.close();
  await sim.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  clearCredentialCache();
  fs.rmSync(dir, { recursive: true, force: true });
});

const registry = () => {
  const r = builtinRegistry();
  r.register(gadgetKind);
  return r;
};

describe('a kind defined only in this test', () => {
  it('appears in every view: kinds, coverage, scan, filters, drawer, cleanup review (checked), savings', async () => {
    const app = createAppServices({ db, registry: registry() });
    await app.profilesSelect({ profile: 'sim' });

    // The kind list the renderer derives everything from.
    const kinds = await app.handlersList(undefined);
    const gadget = kinds.find((k) => k.type === 'gadget:widget');
    expect(gadget).toMatchObject({
      label: 'Idle gadgets',
      noun: 'Gadget',
      consoleUrl: 'https://{host}/gadgets/home?region={region}#gadget={id}',
      iam: { scan: ['gadget:ListGadgets'], action: ['gadget:DeleteGadget'] },
      verification: { method: 'permission-check' },
      detailFields: [{ key: 'sizeGiB', label: 'Size', unit: 'GiB' }, { key: 'idleDays', label: 'Idle for', unit: 'days' }],
    });
    expect(kinds.map((k) => k.type)).toEqual(expect.arrayContaining(['ec2:instance', 'ec2:volume', 'gadget:widget']));

    // Discovery coverage: the bill's DynamoDB line is covered by the kind that declares it.
    await app.discoveryRefresh({ force: true });
    const services = await app.servicesList({ activeOnly: false });
    expect(services.services.find((s) => s.code === 'AmazonDynamoDB')).toMatchObject({ covered: true, handlerTypes: ['gadget:widget'] });

    // The scan runs it beside the built-in kinds.
    const { scanId } = await app.scansStart({ regions: ['us-east-1'] });
    const scan = await until(async () => {
      const s = await app.scansGet({ scanId });
      return s.status === 'running' ? undefined : s;
    });
    expect(scan.failures ?? [], JSON.stringify(scan)).toEqual([]);
    expect(scan.status).toBe('succeeded');

    // Findings filters and the list.
    expect((await app.findingsFacets(undefined)).resourceTypes).toContain('gadget:widget');
    const page = await app.findingsList({ types: ['gadget:widget'], limit: 100, offset: 0 });
    expect(page.rows.map((r) => [r.resourceId, r.protected])).toEqual(expect.arrayContaining([['gad-idle', false], ['gad-kept', true]]));
    expect(page.rows.map((r) => r.resourceId)).not.toContain('gad-busy');
    expect(page.savings).toMatchObject({ monthlySavings: 10, findings: 1, protectedFindings: 1, protectedMonthlyCost: 4 });

    // The drawer: its details and its (empty) parts.
    const idle = page.rows.find((r) => r.resourceId === 'gad-idle')!;
    const detail = await app.resourcesGet({ id: idle.id });
    expect(detail).toMatchObject({ details: { sizeGiB: 20, idleDays: 90 }, related: [], monthlySavings: 10 });

    // The cleanup review and its verification: no DryRun, so checked (re-check + permission simulation), never "dry run ok".
    const plan = await app.cleanupPlan({ findingIds: [idle.id], snapshotVolumes: false });
    expect(plan.items).toEqual([expect.objectContaining({ resourceType: 'gadget:widget', resourceId: 'gad-idle', savings: 10 })]);
    const dry = await app.cleanupDryRun({ planId: plan.id });
    expect(dry.items[0]?.outcome).toMatchObject({
      kind: 'checked',
      note: 'Re-checked; IAM policy simulation allows gadget:DeleteGadget to arn:aws:iam::123456789012:user/cloud-cleaner-demo',
    });
    const audit = db.sqlite.prepare(`SELECT action, dry_run, outcome FROM deletions WHERE plan_id = ?`).all(plan.id);
    expect(audit).toEqual([{ action: 'CheckPermissions', dry_run: 1, outcome: 'dry-run-ok' }]);
    const run = await app.cleanupExecute({ planId: plan.id, confirmAccountId: scan.accountId! });
    expect(run.items[0]?.outcome).toMatchObject({ kind: 'deleted', calls: ['DeleteGadget gad-idle'] });
    expect(run.monthlySavings).toBe(10);
    expect(gadgets.get('us-east-1')!.map((g) => g.id)).toEqual(['gad-busy', 'gad-kept']);

    // Where the identity may not make the call, the check says so before anything is deleted.
    gadgets.get('us-east-1')!.push({ id: 'gad-denied', idleDays: 60, sizeGiB: 1, tags: [] });
    await app.scansStart({ regions: ['us-east-1'] }).then(({ scanId: id }) => until(async () => ((await app.scansGet({ scanId: id })).status === 'running' ? undefined : true)));
    const denied = (await app.findingsList({ types: ['gadget:widget'], limit: 10, offset: 0 })).rows.find((r) => r.resourceId === 'gad-denied')!;
    sim.state.deny.add('gadget:DeleteGadget');
    const plan2 = await app.cleanupPlan({ findingIds: [denied.id], snapshotVolumes: false });
    const dry2 = await app.cleanupDryRun({ planId: plan2.id });
    expect(dry2.items[0]?.outcome).toMatchObject({ kind: 'unauthorized', code: 'AccessDenied', message: expect.stringContaining('denies gadget:DeleteGadget') });
    sim.state.deny.delete('gadget:DeleteGadget');
  });

  it('its own setting is shown, stored, validated against its declaration, and used by its scan', async () => {
    gadgets.set('us-east-1', [{ id: 'gad-45', idleDays: 45, sizeGiB: 1, tags: [] }]);
    const app = createAppServices({ db, registry: registry() });
    await app.profilesSelect({ profile: 'sim' });
    const kinds = await app.handlersList(undefined);
    expect(kinds.find((k) => k.type === 'gadget:widget')?.settings).toEqual([expect.objectContaining({ key: 'gadgetIdleDays', default: 30, unit: 'days' })]);
    // Not stored yet: the declared default, flat beside the app's settings (as the settings page reads it).
    expect((await app.settingsGet(undefined)) as unknown as Record<string, unknown>).toMatchObject({ gadgetIdleDays: 30, stoppedInstanceDays: 30 });
    const scanOnce = async (): Promise<boolean> => {
      const { scanId } = await app.scansStart({ regions: ['us-east-1'] });
      await until(async () => ((await app.scansGet({ scanId })).status === 'running' ? undefined : true));
      const rows = (await app.findingsList({ types: ['gadget:widget'], unusedOnly: false, limit: 10, offset: 0 })).rows;
      return rows.find((r) => r.resourceId === 'gad-45')!.unused;
    };
    expect(await scanOnce()).toBe(true); // idle 45 days ≥ 30
    await expect(app.settingsUpdate({ gadgetIdleDays: 400 })).rejects.toMatchObject({ code: 'validation', message: 'gadgetIdleDays must be between 1 and 365' });
    await expect(app.settingsUpdate({ gadgetIdleDay: 60 })).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('no resource kind declares it') });
    expect((await app.settingsUpdate({ gadgetIdleDays: 60 })) as unknown as Record<string, unknown>).toMatchObject({ gadgetIdleDays: 60 });
    expect(await scanOnce()).toBe(false); // 45 < 60: in use by the kind's own rule
  });

  it("appears in the CLI's JSON", async () => {
    gadgets.set('us-east-1', [{ id: 'gad-cli', idleDays: 45, sizeGiB: 2, tags: [] }]);
    const out: string[] = [];
    const code = await scanCommand(
      { profile: 'sim', regions: ['us-east-1'], store: { file: path.join(dir, 'cli.db') }, json: true, registry: registry() },
      { out: (s) => out.push(s), err: () => undefined },
    );
    expect(code).toBe(0);
    const j = JSON.parse(out.join('\n')) as { findings: { type: string; resourceId: string; monthlyCost: number; monthlySavings: number }[] };
    expect(j.findings.find((f) => f.resourceId === 'gad-cli')).toMatchObject({ type: 'gadget:widget', monthlyCost: 1, monthlySavings: 1 });
  });
});
