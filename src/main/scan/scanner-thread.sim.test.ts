/**
 * A scan into a database file writes its findings and the metrics cache through the writer thread, and each task's end
 * (markGone) on its own connection. The same account scanned into an in-memory database (the calling thread writes
 * everything) must end with the same rows, on a first scan and on a re-scan after a resource was deleted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeleteVolumeCommand } from '@aws-sdk/client-ec2';
import { afterEach, expect, it, vi } from 'vitest';
import { generateAccount } from '../../../e2e/aws-sim/index';
import type { DbHandle } from '../db/connection';
import { openAndMigrate } from '../db/database';
import { upsertAccount } from '../db/repos/accounts';
import { ThreadedResourceWriter } from '../db/repos/resource-writer-thread';
import { openSimSession, type SimSession } from '../test-support/sim-session';
import { runScan } from './scanner';

const REGIONS = ['us-east-1', 'eu-west-1'];

let s: SimSession | null = null;
let h: DbHandle | null = null;
let dir = '';
afterEach(async () => {
  await h?.close();
  await s?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  s = h = null;
  dir = '';
  vi.restoreAllMocks();
});

/** What a scan leaves, without the columns that differ between two runs (ids, clocks). */
function stateOf(db: DbHandle): { resources: unknown[]; tasks: unknown[]; metricSeries: number } {
  return {
    resources: db.sqlite
      .prepare(
        `SELECT resource_type, region, resource_id, status, unused, unused_reason, monthly_cost, monthly_savings, protected, last_scan_id
         FROM resources ORDER BY resource_type, region, resource_id`,
      )
      .all(),
    tasks: db.sqlite.prepare('SELECT resource_type, region, last_scan_id FROM resource_tasks ORDER BY resource_type, region').all(),
    metricSeries: db.sqlite.prepare('SELECT COUNT(*) FROM metric_series').pluck().get() as number,
  };
}

it('a scan into a file (findings and metrics cache on the writer thread) leaves the same rows as one in memory, and marks gone the same', async () => {
  const g = generateAccount({ regions: REGIONS, instances: 10, volumes: 20, snapshots: 10, addresses: 4, images: 4 });
  s = await openSimSession({ fixture: g.fixture });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-scan-thread-'));
  h = await openAndMigrate({ file: path.join(dir, 'scan.db') });
  await upsertAccount(h.db, { id: s.accountId, alias: null, partition: 'aws', arn: null, profile: 'sim' });
  // Metrics are cached for 12 hours: the re-scan reads them from the cache (that is, from what the thread wrote).
  const scanBoth = async () => {
    const onFile = await runScan(s!.scanDeps({ db: h! }), { regions: REGIONS, skipDiscovery: true });
    const inMemory = await runScan(s!.scanDeps(), { regions: REGIONS, skipDiscovery: true });
    return { onFile, inMemory };
  };

  const exec = vi.spyOn(ThreadedResourceWriter.prototype, 'exec');
  const first = await scanBoth();
  // The metrics cache's writes of the file's scan went through its writer thread (the in-memory scan has none).
  const puts = exec.mock.calls
    .filter((_, i) => (exec.mock.contexts[i] as ThreadedResourceWriter).describe().thread)
    .flatMap(([statements]) => statements)
    .filter((st) => st.sql.includes('INSERT INTO metric_series'));
  expect(puts.length).toBe(stateOf(h).metricSeries);
  expect(first.onFile.status).toBe('succeeded');
  expect(first.inMemory.status).toBe('succeeded');
  expect(first.onFile.writer).toEqual({ thread: true, fallbackReason: null });
  expect(first.inMemory.writer).toEqual({ thread: false, fallbackReason: 'an in-memory or read-only database cannot be shared with a worker' });
  expect(first.onFile.findings).toBe(g.unused.length);
  const afterFirst = stateOf(h);
  expect(afterFirst.metricSeries).toBeGreaterThan(0);
  expect(afterFirst.tasks.length).toBeGreaterThan(REGIONS.length);
  expect(afterFirst).toEqual(stateOf(s.db));

  // An unused volume is deleted outside the app: the re-scan's task end marks it gone, after the thread wrote the rest.
  const volume = g.unused.find((u) => u.type === 'ec2:volume')!;
  await s.clients.ec2(volume.region).send(new DeleteVolumeCommand({ VolumeId: volume.id }));
  const second = await scanBoth();
  expect(second.onFile.status).toBe('succeeded');
  expect(second.onFile.findings).toBe(g.unused.length - 1);
  const afterSecond = stateOf(h);
  expect(afterSecond).toEqual(stateOf(s.db));
  const statusOf = (id: string) => (afterSecond.resources as { resource_id: string; status: string }[]).find((r) => r.resource_id === id)?.status;
  expect(statusOf(volume.id)).toBe('gone');
  expect((afterSecond.tasks as { last_scan_id: number }[]).every((t) => t.last_scan_id === 2)).toBe(true);
}, 120_000);
