/**
 * bench:audit-durability — what it costs to make the audit log survive a power loss, two ways.
 *
 * In WAL mode with `synchronous = NORMAL` a commit is atomic but not durable: the WAL is synced only at checkpoints,
 * so the `pending` row written before a DELETE call can vanish on power loss while the call reached AWS. With
 * `synchronous = FULL` every commit syncs the WAL. Either only the audit writes run at FULL (the pragma switched
 * around them, as db/repos/deletions.ts does), or the whole database does (every scan batch, setting and status
 * update pays a sync too).
 *
 * Measured, each in a fresh file database beside the others (BENCH_DIR, default the OS temp dir — it must be a real
 * disk: on tmpfs a sync costs nothing and the comparison says nothing):
 *   audit_pairs_ms     — BENCH_PAIRS (1,000) audited calls: `pending` INSERT + completing UPDATE, each its own commit,
 *                        through the app's functions (shipped) and as the same SQL under NORMAL, with FULL switched
 *                        around each write, and with the whole database at FULL;
 *   audit_floor_ms     — the same number of INSERT + UPDATE commits into a table with no key, index or constraint at
 *                        NORMAL: what SQLite alone costs for that many commits;
 *   small_writes_ms    — BENCH_PAIRS single-row commits of other app writes (a setting) at NORMAL and at FULL: what
 *                        FULL for the whole database adds to every small write outside the audit;
 *   upsert_ms          — BENCH_ROWS (100,000) findings through ResourceWriter in 5,000-row transactions (as a scan
 *                        writes), whole database at NORMAL and at FULL;
 *   upsert_floor_ms    — the same rows as plain INSERTs into a table with no key or index, same batches, NORMAL.
 * Times are medians of BENCH_REPEAT (3) runs. Ratios: *_vs_floor (to the floor of the same kind) and the overheads
 * of FULL against NORMAL. Prints one JSON object on its last line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openAndMigrate } from '../src/main/db/database';
import { openDatabase, type DbHandle } from '../src/main/db/connection';
import { upsertAccount } from '../src/main/db/repos/accounts';
import { completeDeletion, insertPendingDeletion } from '../src/main/db/repos/deletions';
import { createScan } from '../src/main/db/repos/scans';
import { ResourceWriter } from '../src/main/db/repos/resources';
import type { Finding } from '../src/main/handlers/handler';
import { ACCOUNT, makeFinding, median, plainInsertFloorMs } from './synthetic-findings';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 1000);
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const BATCH = 5000;

type Sync = 'NORMAL' | 'FULL';

let seq = 0;
async function freshDb(dir: string, sync: Sync): Promise<DbHandle> {
  const h = await openAndMigrate({ file: path.join(dir, `db-${++seq}.sqlite`) });
  h.sqlite.pragma(`synchronous = ${sync}`);
  await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'bench' });
  return h;
}

const SUBJECT = { accountId: ACCOUNT, planId: 'bench-plan', resourcePk: null, resourceType: 'ec2:volume', region: 'us-east-1' };

/** The audit's SQL written directly, so the variants differ only in the pragma around it. */
function rawAuditPairs(h: DbHandle, variant: 'normal' | 'full-switch' | 'full-db'): number {
  const ins = h.sqlite.prepare(
    `INSERT INTO deletions (account_id, plan_id, resource_pk, resource_type, region, resource_id, action, target, dry_run, outcome, requested_at)
     VALUES (?, ?, ?, ?, ?, ?, 'DeleteVolume', ?, 0, 'pending', ?)`,
  );
  const upd = h.sqlite.prepare(
    `UPDATE deletions SET outcome = 'succeeded', details = '{}', completed_at = ? WHERE id = ? AND outcome = 'pending'`,
  );
  const around = <T>(fn: () => T): T => {
    if (variant !== 'full-switch') return fn();
    h.sqlite.pragma('synchronous = FULL');
    try {
      return fn();
    } finally {
      h.sqlite.pragma('synchronous = NORMAL');
    }
  };
  const t0 = performance.now();
  for (let i = 0; i < PAIRS; i++) {
    const now = new Date().toISOString();
    const id = around(() => Number(ins.run(ACCOUNT, SUBJECT.planId, null, SUBJECT.resourceType, SUBJECT.region, `vol-${i}`, `vol-${i}`, now).lastInsertRowid));
    around(() => upd.run(now, id));
  }
  return performance.now() - t0;
}

/** The app's own audit functions on a NORMAL database (whatever durability they ship with). */
function shippedAuditPairs(h: DbHandle): number {
  const t0 = performance.now();
  for (let i = 0; i < PAIRS; i++) {
    const now = new Date().toISOString();
    const id = insertPendingDeletion(h.sqlite, { ...SUBJECT, resourceId: `vol-${i}`, action: 'DeleteVolume', target: `vol-${i}`, dryRun: false }, now);
    completeDeletion(h.sqlite, id, { outcome: 'succeeded' }, now);
  }
  return performance.now() - t0;
}

function auditFloor(dir: string): number {
  const h = openDatabase({ file: path.join(dir, `floor-${++seq}.sqlite`) });
  try {
    h.sqlite.exec('CREATE TABLE plain (account_id, plan_id, resource_id, outcome, requested_at, completed_at)');
    const ins = h.sqlite.prepare(`INSERT INTO plain VALUES (?, ?, ?, 'pending', ?, NULL)`);
    const upd = h.sqlite.prepare(`UPDATE plain SET outcome = 'succeeded', completed_at = ? WHERE rowid = ?`);
    const t0 = performance.now();
    for (let i = 0; i < PAIRS; i++) {
      const now = new Date().toISOString();
      const id = ins.run(ACCOUNT, SUBJECT.planId, `vol-${i}`, now).lastInsertRowid;
      upd.run(now, id);
    }
    return performance.now() - t0;
  } finally {
    h.sqlite.close();
  }
}

function smallWrites(h: DbHandle): number {
  const st = h.sqlite.prepare(`INSERT INTO settings (key, value) VALUES ('bench', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  const t0 = performance.now();
  for (let i = 0; i < PAIRS; i++) st.run(String(i));
  return performance.now() - t0;
}

async function upserts(h: DbHandle, rows: Finding[]): Promise<number> {
  const writer = new ResourceWriter(h.sqlite, ACCOUNT, () => 'AmazonEC2Other');
  const scanId = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
  const now = new Date().toISOString();
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) writer.write(rows.slice(i, i + BATCH), scanId, now);
  return performance.now() - t0;
}

/** The file system type of `dir` (Linux only; null elsewhere). */
function fsType(dir: string): string | null {
  try {
    const mounts = fs.readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' '));
    const real = fs.realpathSync(dir);
    let best: string[] | null = null;
    for (const m of mounts) {
      const at = m[1];
      if (at && (real === at || real.startsWith(at.endsWith('/') ? at : `${at}/`)) && (!best || at.length > best[1]!.length)) best = m;
    }
    return best?.[2] ?? null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'cc-bench-durability-'));
  const round = (n: number) => Math.round(n);
  const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
  try {
    const times = { normal: [] as number[], fullSwitch: [] as number[], fullDb: [] as number[], shipped: [] as number[], floor: [] as number[], smallNormal: [] as number[], smallFull: [] as number[] };
    for (let r = 0; r < REPEAT; r++) {
      for (const [variant, sync, into] of [
        ['normal', 'NORMAL', times.normal],
        ['full-switch', 'NORMAL', times.fullSwitch],
        ['full-db', 'FULL', times.fullDb],
      ] as const) {
        const h = await freshDb(dir, sync);
        into.push(rawAuditPairs(h, variant));
        await h.close();
      }
      const shipped = await freshDb(dir, 'NORMAL');
      times.shipped.push(shippedAuditPairs(shipped));
      await shipped.close();
      times.floor.push(auditFloor(dir));
      const n = await freshDb(dir, 'NORMAL');
      times.smallNormal.push(smallWrites(n));
      await n.close();
      const f = await freshDb(dir, 'FULL');
      times.smallFull.push(smallWrites(f));
      await f.close();
    }

    const rows = Array.from({ length: ROWS }, (_, i) => makeFinding(i));
    const up = { normal: [] as number[], full: [] as number[], floor: [] as number[] };
    for (let r = 0; r < REPEAT; r++) {
      const n = await freshDb(dir, 'NORMAL');
      up.normal.push(await upserts(n, rows));
      await n.close();
      const f = await freshDb(dir, 'FULL');
      up.full.push(await upserts(f, rows));
      await f.close();
      up.floor.push(plainInsertFloorMs(dir, `floor-${++seq}.sqlite`, rows, BATCH));
    }

    const a = {
      normal: median(times.normal),
      full_switch: median(times.fullSwitch),
      full_db: median(times.fullDb),
      shipped: median(times.shipped),
    };
    const floor = median(times.floor);
    const small = { normal: median(times.smallNormal), full: median(times.smallFull) };
    const u = { normal: median(up.normal), full: median(up.full) };
    const uFloor = median(up.floor);
    const result = {
      dir,
      fs: fsType(dir),
      pairs: PAIRS,
      rows: ROWS,
      repeat: REPEAT,
      audit_pairs_ms: { normal: round(a.normal), full_switch: round(a.full_switch), full_db: round(a.full_db), shipped: round(a.shipped) },
      audit_floor_ms: round(floor),
      audit_vs_floor: { normal: ratio(a.normal, floor), full_switch: ratio(a.full_switch, floor), full_db: ratio(a.full_db, floor), shipped: ratio(a.shipped, floor) },
      audit_ms_per_call: { normal: Number((a.normal / PAIRS).toFixed(3)), full: Number((a.full_switch / PAIRS).toFixed(3)) },
      small_writes_ms: { normal: round(small.normal), full: round(small.full) },
      upsert_ms: { normal: round(u.normal), full: round(u.full) },
      upsert_floor_ms: round(uFloor),
      upsert_vs_floor: { normal: ratio(u.normal, uFloor), full: ratio(u.full, uFloor) },
      overhead_of_full: {
        audit_switch_vs_normal: ratio(a.full_switch, a.normal),
        audit_switch_vs_full_db: ratio(a.full_switch, a.full_db),
        small_writes: ratio(small.full, small.normal),
        upserts: ratio(u.full, u.normal),
      },
    };
    console.log(JSON.stringify(result));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
