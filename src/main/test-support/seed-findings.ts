/**
 * Test support: findings written the way a scan writes them, on either store (issue #21), for the tests of the read
 * side (resources, snoozes, waste summary, last seen): the scan's own writers (findings-store.ts: ResourceWriter /
 * markGone / markDeleted on SQLite, their set-statement twins on PostgreSQL).
 */
import type { Finding } from '../handlers/handler';
import { findingsWriter, markResourceDeleted, markTaskGone, type GoneQuery } from '../db/repos/findings-store';
import type { AppDb } from '../db/store';

export type GoneTask = GoneQuery;

/** Upserts a scan's findings (one transaction), as the scan's writer does. */
export async function writeFindings(
  h: AppDb,
  accountId: string,
  findings: readonly Finding[],
  scanId: number | null,
  opts: { now?: string; serviceCode?: string } = {},
): Promise<void> {
  const serviceCode = opts.serviceCode ?? 'AmazonEC2Other';
  const writer = findingsWriter(h, accountId, () => serviceCode);
  try {
    await writer.write(findings, scanId, opts.now ?? new Date().toISOString());
  } finally {
    // A file database's writer is a thread with its own connection: ended here, not left holding the file.
    await writer.close?.();
  }
}

/** A task's successful end, as the scan does it: what it did not see is gone; the task is recorded as seen now. */
export function endTask(h: AppDb, q: GoneTask, now = new Date().toISOString()): Promise<number> {
  return markTaskGone(h, q, now);
}

/** The app deleted the resource: its row stays, `deleted`, with the last time a scan really saw it. */
export function deleteFinding(h: AppDb, id: number, now = new Date().toISOString()): Promise<void> {
  return markResourceDeleted(h, id, now);
}
