import type BetterSqlite3 from 'better-sqlite3';
import type { Finding } from '../../handlers/handler';
import { reasonCategory } from '../../findings/reason-category';
import { syncSearchIndex } from './resources-search';

const UPSERT_COLUMNS = [
  'account_id', 'resource_type', 'region', 'resource_id', 'service_code', 'name', 'state', 'unused', 'unused_reason',
  'reason_category', 'unused_since', 'monthly_cost', 'cost_basis', 'protected', 'protected_reason', 'tags', 'details', 'created_at',
  'monthly_savings', 'content_hash', 'first_seen', 'last_seen', 'last_scan_id',
] as const;
const UPDATED_ON_CONFLICT = UPSERT_COLUMNS.filter((c) => !['account_id', 'resource_type', 'region', 'resource_id', 'first_seen'].includes(c));

// The columns a scan reports, in the order contentHash() reads them (the upsert's parameters 5–19).
const CONTENT_COLUMNS = [
  'service_code', 'name', 'state', 'unused', 'unused_reason', 'reason_category', 'unused_since', 'monthly_cost', 'cost_basis', 'protected',
  'protected_reason', 'tags', 'details', 'created_at', 'monthly_savings',
] as const;

// Positional parameters: binding by name costs a property lookup per column per row on the hot path.
// The update branch runs only when something changed (or the resource comes back from gone/deleted): an UPDATE that
// assigns an indexed column rewrites its index entries even when the value is the same.
const UPSERT_SQL = `
INSERT INTO resources (${UPSERT_COLUMNS.join(', ')}, status)
VALUES (${UPSERT_COLUMNS.map(() => '?').join(', ')}, 'active')
ON CONFLICT (account_id, resource_type, region, resource_id) DO UPDATE SET
  ${UPDATED_ON_CONFLICT.map((c) => `${c} = excluded.${c}`).join(',\n  ')},
  status_changed_at = CASE WHEN resources.status <> 'active' THEN excluded.last_seen ELSE resources.status_changed_at END,
  status = 'active'
WHERE resources.status <> 'active' OR resources.content_hash IS NOT excluded.content_hash
  OR ${CONTENT_COLUMNS.map((c) => `resources.${c} IS NOT excluded.${c}`).join(' OR ')}`;

// An unchanged resource: same key, active, same content hash. Writes only last seen and last scan (no indexed column).
const TOUCH_UNCHANGED_SQL = `
UPDATE resources SET last_seen = ?, last_scan_id = ?
WHERE account_id = ? AND resource_type = ? AND region = ? AND resource_id = ? AND status = 'active' AND content_hash = ?`;

const TOUCH_SQL = `
UPDATE resources SET last_seen = ?, last_scan_id = ?
WHERE account_id = ? AND resource_type = ? AND region = ? AND resource_id = ?`;

type Param = string | number | null;

/**
 * A 53-bit hash (two 32-bit multiply-xorshift lanes, cyrb53's mixing) of the content values, each with its type and
 * length, so that no two different value lists share an encoding. Plain JS: ~0.3 µs a row, where node's crypto
 * costs a few µs a call.
 */
export function contentHash(values: readonly Param[]): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const v of values) {
    const s = v === null ? '' : typeof v === 'number' ? String(v) : v;
    const tag = (v === null ? 0x10000 : typeof v === 'number' ? 0x20000 : 0x30000) + s.length;
    h1 = Math.imul(h1 ^ tag, 2654435761);
    h2 = Math.imul(h2 ^ tag, 1597334677);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * Upserts scan findings in batches on the raw connection: prepared statements, one transaction per batch.
 * (kysely builds SQL per call; at 100k rows a scan would spend more time compiling SQL than writing it.)
 *
 * Per finding: when the resource is stored, active and its content hash is the same, one narrow UPDATE moves its last
 * seen and last scan (an unchanged re-scan writes nothing else). Otherwise the upsert inserts a new resource, or
 * updates one that changed or comes back from gone/deleted. A task (type × region) with no stored row when this scan
 * first writes to it skips the touch (its resources are all new). The batch ends by syncing the search index.
 *
 * Foreign keys: the batch checks its two parents (the account, the scan) once, inside its transaction, then writes
 * with per-row foreign-key checks off — those checks would look up the same two rows 100,000 times. The connection's
 * setting is restored before write() returns, also when the batch throws.
 */
export class ResourceWriter {
  private readonly upsertStmt: BetterSqlite3.Statement;
  private readonly touchUnchangedStmt: BetterSqlite3.Statement;
  private readonly touchStmt: BetterSqlite3.Statement;
  private readonly taskHasRows: BetterSqlite3.Statement;
  private readonly accountExists: BetterSqlite3.Statement;
  private readonly scanExists: BetterSqlite3.Statement;
  private readonly writeBatch: (rows: readonly Finding[], scanId: number | null, now: string) => void;
  /** Reason → category: most reasons repeat across a scan's rows, the regexes run once per distinct reason. */
  private readonly categories = new Map<string, string | null>();
  /** Per task ("type\nregion"): whether it had stored rows when this scan first wrote to it. */
  private readonly storedTasks = new Map<string, boolean>();
  private storedTasksScan: number | null | undefined = undefined;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly accountId: string,
    private readonly serviceCodeFor: (f: Finding) => string,
  ) {
    this.upsertStmt = sqlite.prepare(UPSERT_SQL);
    this.touchUnchangedStmt = sqlite.prepare(TOUCH_UNCHANGED_SQL);
    this.touchStmt = sqlite.prepare(TOUCH_SQL);
    this.taskHasRows = sqlite.prepare('SELECT 1 FROM resources WHERE account_id = ? AND resource_type = ? AND region = ? LIMIT 1').pluck();
    this.accountExists = sqlite.prepare('SELECT 1 FROM accounts WHERE id = ?').pluck();
    this.scanExists = sqlite.prepare('SELECT 1 FROM scans WHERE id = ?').pluck();
    this.writeBatch = sqlite.transaction((rows: readonly Finding[], scanId: number | null, now: string) => {
      if (this.accountExists.get(this.accountId) === undefined) {
        throw new Error(`FOREIGN KEY constraint failed: no account ${this.accountId}`);
      }
      if (scanId !== null && this.scanExists.get(scanId) === undefined) {
        throw new Error(`FOREIGN KEY constraint failed: no scan ${scanId}`);
      }
      if (scanId !== this.storedTasksScan) {
        this.storedTasks.clear();
        this.storedTasksScan = scanId;
      }
      const account = this.accountId;
      const content: Param[] = new Array<Param>(CONTENT_COLUMNS.length);
      for (const f of rows) {
        content[0] = this.serviceCodeFor(f);
        content[1] = f.name;
        content[2] = f.state;
        content[3] = f.unused ? 1 : 0;
        content[4] = f.unusedReason;
        content[5] = this.categoryOf(f);
        content[6] = f.unusedSince;
        content[7] = f.monthlyCost;
        content[8] = f.costBasis;
        content[9] = f.protected ? 1 : 0;
        content[10] = f.protectedReason;
        content[11] = JSON.stringify(f.tags);
        content[12] = JSON.stringify(f.details);
        content[13] = f.createdAt;
        content[14] = f.monthlySavings ?? null;
        const hash = contentHash(content);
        if (this.hasStoredRows(f) && this.touchUnchangedStmt.run(now, scanId, account, f.resourceType, f.region, f.resourceId, hash).changes > 0) {
          continue;
        }
        const written = this.upsertStmt.run(account, f.resourceType, f.region, f.resourceId, ...content, hash, now, now, scanId).changes;
        if (written === 0) this.touchStmt.run(now, scanId, account, f.resourceType, f.region, f.resourceId);
      }
      syncSearchIndex(this.sqlite);
    });
  }

  private hasStoredRows(f: Finding): boolean {
    const key = `${f.resourceType}\n${f.region}`;
    let stored = this.storedTasks.get(key);
    if (stored === undefined) {
      stored = this.taskHasRows.get(this.accountId, f.resourceType, f.region) !== undefined;
      this.storedTasks.set(key, stored);
    }
    return stored;
  }

  private categoryOf(f: Finding): string | null {
    if (f.reasonCategory !== undefined) return f.reasonCategory;
    if (f.unusedReason === null) return null;
    let c = this.categories.get(f.unusedReason);
    if (c === undefined) {
      if (this.categories.size >= 10_000) this.categories.clear();
      c = reasonCategory(f.unusedReason);
      this.categories.set(f.unusedReason, c);
    }
    return c;
  }

  /** Writes one batch atomically. */
  write(rows: readonly Finding[], scanId: number | null, now = new Date().toISOString()): void {
    if (rows.length === 0) return;
    const fkOn = this.sqlite.pragma('foreign_keys', { simple: true }) === 1;
    if (fkOn && !this.sqlite.inTransaction) this.sqlite.pragma('foreign_keys = OFF');
    try {
      this.writeBatch(rows, scanId, now);
    } finally {
      if (fkOn) this.sqlite.pragma('foreign_keys = ON');
    }
  }
}
