/**
 * Ignoring findings (snoozes) through the IPC router, against the simulator's sample account: the contract's inputs
 * are validated, ignored findings leave the findings totals, the dashboard and "select all matching", a plan built
 * from their ids refuses them with the reason, exports carry the reason, and stopping brings them back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../e2e/aws-sim/index';
import type { CleanupPlanDto, CleanupRunDto } from '../../shared/dto/cleanup';
import type { ExportFileDto } from '../../shared/dto/export';
import type { FindingsPage, WasteSummaryDto } from '../../shared/dto/findings';
import type { SnoozeDto, SnoozeSetResultDto } from '../../shared/dto/snooze';
import type { DbHandle } from '../db/connection';
import { openAndMigrate } from '../db/database';
import { createRouter, type Router } from '../ipc/router';
import { createAppServices } from './app-services';

let sim: Simulator;
let dir: string;
let db: DbHandle;
let router: Router;
const saved: Record<string, string | undefined> = {};
const setEnv = (k: string, v: string | undefined): void => {
  if (!(k in saved)) saved[k] = process.env[k];
  if (v === undefined) delete process.env[k];
  else process.env[k] = v;
};

async function call<T>(channel: string, input?: unknown): Promise<T> {
  const res = await router.handle(channel, input);
  if (!res.ok) throw Object.assign(new Error(`${channel}: ${res.error.message}`), { code: res.error.code });
  return res.value as T;
}
async function failure(channel: string, input: unknown): Promise<{ code: string; message: string }> {
  const res = await router.handle(channel, input);
  if (res.ok) throw new Error(`${channel} succeeded: ${JSON.stringify(input)}`);
  return res.error;
}

beforeAll(async () => {
  sim = await startSimulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-snooze-'));
  fs.writeFileSync(path.join(dir, 'config'), `[profile sim]\nregion = us-east-1\nendpoint_url = ${sim.endpoint}\n`);
  fs.writeFileSync(path.join(dir, 'credentials'), '[sim]\naws_access_key_id = AKIDSIMTEST\naws_secret_access_key = sim-secret\n');
  setEnv('AWS_CONFIG_FILE', path.join(dir, 'config'));
  setEnv('AWS_SHARED_CREDENTIALS_FILE', path.join(dir, 'credentials'));
  setEnv('AWS_EC2_METADATA_DISABLED', 'true');
  for (const k of ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_PROFILE']) setEnv(k, undefined);
  db = await openAndMigrate({ file: path.join(dir, 'app.db') });
  const services = createAppServices({ db });
  router = createRouter(services);
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  router.onEvent((event, payload) => {
    if (event === 'scans:progress' && (payload as { status: string }).status !== 'running') done();
  });
  await call('profiles:select', { profile: 'sim' });
  await call('scans:start', { regions: 'all' });
  await finished;
}, 60_000);

afterAll(async () => {
  await db?.close();
  await sim?.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

const IN_30_DAYS = (): string => new Date(Date.now() + 30 * 86_400_000).toISOString();
const cents = (n: number): number => Math.round(n * 100);

describe('snooze channels', () => {
  it('validates their inputs: a reason, an end in the future and not past ten years, strict fields, tags without quotes, own findings', async () => {
    const page = await call<FindingsPage>('findings:list', { limit: 5 });
    const id = page.rows[0]!.id;
    const base = { scope: 'finding', findingIds: [id], reason: 'r', until: IN_30_DAYS() };
    expect((await failure('snooze:set', { ...base, reason: '   ' })).code).toBe('validation');
    expect((await failure('snooze:set', { ...base, reason: 'x'.repeat(501) })).code).toBe('validation');
    expect((await failure('snooze:set', { scope: 'finding', findingIds: [id], until: null })).code).toBe('validation');
    expect((await failure('snooze:set', { ...base, until: '2020-01-01T00:00:00Z' })).message).toMatch(/future/);
    expect((await failure('snooze:set', { ...base, until: new Date(Date.now() + 11 * 365 * 86_400_000).toISOString() })).message).toMatch(/for good/);
    expect((await failure('snooze:set', { ...base, until: 'next week' })).code).toBe('validation');
    expect((await failure('snooze:set', { ...base, findingIds: [] })).code).toBe('validation');
    expect((await failure('snooze:set', { ...base, extra: 1 })).code).toBe('validation');
    expect((await failure('snooze:set', { scope: 'tag', tagKey: 'a"b', tagValue: 'x', reason: 'r', until: null })).code).toBe('validation');
    expect((await failure('snooze:set', { scope: 'tag', tagKey: '', tagValue: 'x', reason: 'r', until: null })).code).toBe('validation');
    expect((await failure('snooze:set', { ...base, findingIds: [id, 987_654] })).code).toBe('not_found');
    expect((await failure('snooze:remove', { id: 987_654 })).code).toBe('not_found');
    expect((await failure('snooze:list', { all: true })).code).toBe('validation');
    expect(await call<SnoozeDto[]>('snooze:list')).toEqual([]); // nothing was written by the refused calls
  });

  it('ignored findings leave the totals, the dashboard and select-all; a plan refuses them with the reason; exports carry it; stopping brings them back', async () => {
    const before = await call<FindingsPage>('findings:list', { limit: 1000 });
    const waste0 = await call<WasteSummaryDto>('findings:waste-summary');
    const [a, b, c] = before.rows.filter((r) => !r.protected && r.monthlySavings !== null && r.monthlySavings > 0);
    expect(a && b && c).toBeTruthy();
    const cut = a!.monthlySavings! + b!.monthlySavings!;

    const set = await call<SnoozeSetResultDto>('snooze:set', { scope: 'finding', findingIds: [a!.id, b!.id], reason: '  kept for the audit  ', until: IN_30_DAYS() });
    expect(set.findings).toBe(2);
    expect(set.snoozes.map((s) => s.reason)).toEqual(['kept for the audit', 'kept for the audit']);

    const after = await call<FindingsPage>('findings:list', { limit: 1000 });
    expect(after.total).toBe(before.total - 2);
    expect(cents(after.savings.monthlySavings)).toBe(cents(before.savings.monthlySavings - cut));
    expect(after.ignored?.findings).toBe(2);
    expect(cents(after.ignored?.monthlySavings ?? 0)).toBe(cents(cut));
    const waste = await call<WasteSummaryDto>('findings:waste-summary');
    expect(cents(waste.totals.monthlySavings)).toBe(cents(waste0.totals.monthlySavings - cut));
    expect(waste.ignored.findings).toBe(2);
    expect(waste.top.map((r) => r.id)).not.toContain(a!.id);

    // "Select all matching" lists the deletable findings of the filter: the ignored ones are not among them.
    const matching = await call<FindingsPage>('findings:list', { protected: false, limit: 1000 });
    expect(matching.rows.map((r) => r.id)).not.toContain(a!.id);
    expect(matching.rows).toHaveLength(after.savings.findings);

    const only = await call<FindingsPage>('findings:list', { ignored: 'only', limit: 100 });
    expect(only.rows.map((r) => r.id).sort()).toEqual([a!.id, b!.id].sort());
    expect(only.rows[0]?.snooze).toMatchObject({ scope: 'finding', reason: 'kept for the audit' });

    // A plan from ids: the ignored finding is refused, with its reason; the rest is planned.
    const plan = await call<CleanupPlanDto>('cleanup:plan', { findingIds: [a!.id, c!.id], snapshotVolumes: false });
    expect(plan.items.map((i) => i.findingId)).toEqual([c!.id]);
    expect(plan.refusedAtPlan).toEqual([expect.objectContaining({ findingId: a!.id, reason: expect.stringMatching(/^Ignored until .+: kept for the audit\. Stop ignoring it/) })]);
    const none = await failure('cleanup:plan', { findingIds: [a!.id, b!.id], snapshotVolumes: false });
    expect(none).toMatchObject({ code: 'validation', message: expect.stringMatching(/All 2 findings are ignored/) });

    // Exports: by default as the totals (without them); with the ignored ones, each row says why and until when.
    const csv = await call<ExportFileDto>('export:findings', { format: 'csv', filter: {} });
    expect(csv.content.split('\r\n')[0]).toMatch(/,ignored,ignoredScope,ignoredReason,ignoredUntil$/);
    expect(csv.content).not.toContain(a!.resourceId);
    const all = await call<ExportFileDto>('export:findings', { format: 'csv', filter: { ignored: 'include' } });
    const rowA = all.content.split('\r\n').find((l) => l.includes(a!.resourceId))!;
    expect(rowA).toMatch(/,true,finding,kept for the audit,\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    const rowC = all.content.split('\r\n').find((l) => l.includes(c!.resourceId))!;
    expect(rowC).toMatch(/,false,,,$/);
    const json = JSON.parse((await call<ExportFileDto>('export:findings', { format: 'json', filter: { ignored: 'only' } })).content) as { snooze: { reason: string } | null }[];
    expect(json.map((r) => r.snooze?.reason)).toEqual(['kept for the audit', 'kept for the audit']);

    const listed = await call<SnoozeDto[]>('snooze:list');
    expect(listed.map((s) => [s.findingId, s.findings, s.current]).sort()).toEqual([[a!.id, 1, true], [b!.id, 1, true]].sort());
    for (const s of listed) await call('snooze:remove', { id: s.id });
    const back = await call<FindingsPage>('findings:list', { limit: 1000 });
    expect(back.total).toBe(before.total);
    expect(cents(back.savings.monthlySavings)).toBe(cents(before.savings.monthlySavings));
    expect(back.ignored).toEqual({ findings: 0, monthlySavings: 0 });
  });

  it('a plan made before the ignore: its dry run refuses the ignored item with the reason and clears the rest', async () => {
    const rows = (await call<FindingsPage>('findings:list', { protected: false, limit: 1000 })).rows.filter((r) => r.resourceType === 'ec2:elastic-ip');
    const [a, b] = rows;
    expect(a && b).toBeTruthy();
    const plan = await call<CleanupPlanDto>('cleanup:plan', { findingIds: [a!.id, b!.id], snapshotVolumes: false });
    expect(plan.items).toHaveLength(2);
    const set = await call<SnoozeSetResultDto>('snooze:set', { scope: 'finding', findingIds: [a!.id], reason: 'reserved for the DR site', until: null });
    const run = await call<CleanupRunDto>('cleanup:dry-run', { planId: plan.id });
    const byId = new Map(run.items.map((i) => [i.findingId, i]));
    expect(byId.get(a!.id)?.outcome).toMatchObject({ kind: 'refused', reason: 'Ignored for good: reserved for the DR site. Stop ignoring it to clean it up.' });
    expect(byId.get(b!.id)?.outcome?.kind).toBe('dry-run-ok');
    await call('snooze:remove', { id: set.snoozes[0]!.id });
  });

  it('a tag snooze covers every finding with the tag; removing it brings them back', async () => {
    const before = await call<FindingsPage>('findings:list', { limit: 1000 });
    const tagged = before.rows.find((r) => Object.keys(r.tags).length > 0);
    expect(tagged).toBeDefined();
    const [key, value] = Object.entries(tagged!.tags)[0]!;
    const withTag = before.rows.filter((r) => r.tags[key] === value).length;
    const set = await call<SnoozeSetResultDto>('snooze:set', { scope: 'tag', tagKey: key, tagValue: value, reason: 'the team cleans these itself', until: null });
    expect(set.findings).toBe(withTag);
    const after = await call<FindingsPage>('findings:list', { limit: 1000 });
    expect(after.total).toBe(before.total - withTag);
    expect(after.rows.some((r) => r.tags[key] === value)).toBe(false);
    const only = await call<FindingsPage>('findings:list', { ignored: 'only', limit: 1000 });
    expect(only.rows.every((r) => r.snooze?.scope === 'tag' && r.snooze.tagKey === key && r.snooze.until === null)).toBe(true);
    await call('snooze:remove', { id: set.snoozes[0]!.id });
    expect((await call<FindingsPage>('findings:list', { limit: 1000 })).total).toBe(before.total);
  });
});
