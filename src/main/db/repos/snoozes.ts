/**
 * Snoozes ("ignore with a reason"): findings left out of the totals until `until` (null: for good), by finding identity
 * (type, region, AWS id: survives re-scans) or by tag. A snooze is current while `until` is null or later than now;
 * it ends by the clock alone, nothing is written (every query compares with the time it is asked at).
 *
 * The findings queries do not test snoozes row by row: a tag lives in the JSON of `resources.tags`, which no index of
 * the findings list covers, and testing it would read every row of the table. Instead currentSnoozes resolves the
 * account's current snoozes to the ids of the resources they cover (the finding snoozes through the unique resource
 * key; the tag snoozes in one pass over the account's tags, a LIKE on the stored JSON first and json_extract to be
 * exact), and the queries test `id IN (…)` — the rowid is in every index, so the covering findings-list index still
 * serves. The ids are cached per account until the data changes (a write, here or by another process) or the next
 * snooze ends. With no current snooze, the queries run exactly as before.
 *
 * On PostgreSQL (issue #21) the same queries, with its spellings: `(tags::jsonb) ->> key` for json_extract, to_json for
 * json_quote, json_agg for json_group_array, jsonb_array_elements_text for json_each (jsonArrayValues). There an index
 * holds no row id unless it names it: resources_findings_browse carries `id` there since migration 0013, so `id IN (…)`
 * and the page's `SELECT id` are served by it too.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ResourceDto } from '../../../shared/dto/findings';
import type { FindingSnoozeDto, IgnoredMode, SnoozeDto } from '../../../shared/dto/snooze';
import type { Database, SnoozeRow } from '../schema';
import { dialectOfDb, jsonArrayValues, type Dialect } from '../store';

/** What the findings queries need to know about an account's snoozes at one moment. */
export interface CurrentSnoozes {
  /** The store they were read from (ignoredCondition writes its SQL for it). */
  dialect: Dialect;
  /** The moment (ISO) they were read for: the queries compare `until` with it. */
  now: string;
  /** Some finding-scope snooze is current. */
  anyFinding: boolean;
  /** The current tag snoozes (few: one per tag the user chose). */
  tags: SnoozeRow[];
  /** The earliest end among the current snoozes (null: none ends): results stay valid until then, without a write. */
  nextEnd: string | null;
  /** The account's resources (any status) under a current snooze, as a JSON array of ids (for json_each). */
  idsJson: string;
  /** How many. */
  count: number;
}

/** Snoozed ids per account, valid while the data version and the next end are the same. */
const idsCache = new WeakMap<Kysely<Database>, Map<string, { version: string; idsJson: string; count: number }>>();

/**
 * `r.tags` holds the tag key = value: a LIKE on the stored JSON as JSON.stringify writes it ("key":"value") first, cheap
 * and never missing a match, then the JSON read to be exact. On PostgreSQL the LIKE has no escape character (SQLite's
 * has none either: a quoted `\"` in the pattern is two literal characters) and is case-sensitive (the exact test
 * decides anyway).
 */
function tagIs(dialect: Dialect, key: RawBuilder<unknown>, value: RawBuilder<unknown>, path: RawBuilder<unknown>): RawBuilder<boolean> {
  if (dialect === 'sqlite') {
    return sql<boolean>`(r.tags LIKE '%' || json_quote(${key}) || ':' || json_quote(${value}) || '%' AND json_extract(r.tags, ${path}) IS ${value})`;
  }
  return sql<boolean>`(r.tags LIKE '%' || to_json(${key}::text)::text || ':' || to_json(${value}::text)::text || '%' ESCAPE ''
    AND ((r.tags::jsonb) ->> ${key}::text) IS NOT DISTINCT FROM ${value}::text)`;
}

/**
 * A version of the whole store's data, the same while no write has been committed, or null where there is none to
 * read (results are then computed every time):
 * - SQLite: `total_changes()` (this connection's writes) with `data_version` (other connections' commits, e.g. the
 *   CLI), both free to read;
 * - PostgreSQL: the server's current snapshot (xmin:xmax:running xids). Any transaction that wrote (and so has an xid)
 *   changes it when it ends, committed or not, on any connection; read-only work leaves it alone. The same snapshot
 *   text means the same committed data. Inside a transaction its own uncommitted writes would not change it: null.
 */
export async function storeVersion(db: Kysely<Database>): Promise<string | null> {
  if (dialectOfDb(db) === 'sqlite') {
    const { rows } = await sql<{ c: number; d: number }>`SELECT total_changes() AS c, (SELECT data_version FROM pragma_data_version) AS d`.execute(db);
    return `${rows[0]?.c}|${rows[0]?.d}`;
  }
  if (db.isTransaction) return null;
  const { rows } = await sql<{ s: string }>`SELECT pg_current_snapshot()::text AS s`.execute(db);
  return rows[0]?.s ?? null;
}

async function snoozedIds(db: Kysely<Database>, accountId: string, s: Omit<CurrentSnoozes, 'idsJson' | 'count'>): Promise<{ idsJson: string; count: number }> {
  const data = await storeVersion(db);
  const version = data === null ? null : `${data}|${s.nextEnd ?? ''}|${s.anyFinding}|${s.tags.map((t) => t.id).join(',')}`;
  let cache = idsCache.get(db);
  if (!cache) idsCache.set(db, (cache = new Map()));
  const hit = cache.get(accountId);
  if (version !== null && hit && hit.version === version) return hit;
  const parts: RawBuilder<unknown>[] = [];
  if (s.anyFinding) {
    parts.push(sql`SELECT r.id FROM snoozes s JOIN resources r ON r.account_id = s.account_id AND r.resource_type = s.resource_type
      AND r.region = s.region AND r.resource_id = s.resource_id
      WHERE s.account_id = ${accountId} AND s.scope = 'finding' AND (s.until IS NULL OR s.until > ${s.now})`);
  }
  if (s.tags.length > 0) {
    const any = sql.join(
      s.tags.map((t) => tagIs(s.dialect, sql`${t.tag_key ?? ''}`, sql`${t.tag_value ?? ''}`, sql`${tagPath(t.tag_key ?? '')}`)),
      sql` OR `,
    );
    parts.push(sql`SELECT r.id FROM resources r WHERE r.account_id = ${accountId} AND (${any})`);
  }
  const union = sql.join(parts, sql` UNION `);
  const { rows } =
    s.dialect === 'sqlite'
      ? await sql<{ ids: string | null; n: number }>`SELECT json_group_array(id) AS ids, COUNT(*) AS n FROM (${union})`.execute(db)
      : await sql<{ ids: string | null; n: number }>`SELECT json_agg(id)::text AS ids, COUNT(*) AS n FROM (${union}) AS u`.execute(db);
  const entry = { version: version ?? '', idsJson: rows[0]?.ids ?? '[]', count: Number(rows[0]?.n ?? 0) };
  if (version === null) return entry;
  if (cache.size >= 16) cache.delete(cache.keys().next().value as string);
  cache.set(accountId, entry);
  return entry;
}

export async function currentSnoozes(db: Kysely<Database>, accountId: string, now: Date = new Date()): Promise<CurrentSnoozes> {
  const iso = now.toISOString();
  const current = sql<boolean>`(until IS NULL OR until > ${iso})`;
  const [f, tags, next] = await Promise.all([
    db.selectFrom('snoozes').select('id').where('account_id', '=', accountId).where(sql<boolean>`scope = 'finding'`).where(current).limit(1).executeTakeFirst(),
    db.selectFrom('snoozes').selectAll().where('account_id', '=', accountId).where(sql<boolean>`scope = 'tag'`).where(current).orderBy('id').execute(),
    db.selectFrom('snoozes').select(sql<string | null>`MIN(until)`.as('m')).where('account_id', '=', accountId).where('until', '>', iso).executeTakeFirst(),
  ]);
  const base = { dialect: dialectOfDb(db), now: iso, anyFinding: f !== undefined, tags, nextEnd: next?.m ?? null };
  if (!base.anyFinding && tags.length === 0) return { ...base, idsJson: '[]', count: 0 };
  return { ...base, ...(await snoozedIds(db, accountId, base)) };
}

/** The JSON path of a tag key in resources.tags (keys hold no quote: the input schema refuses them). */
export function tagPath(key: string): string {
  return `$."${key}"`;
}

/** The condition a findings query (FROM resources) adds for its ignored mode (null: nothing to add). */
export function ignoredCondition(s: CurrentSnoozes, mode: IgnoredMode): RawBuilder<boolean> | null {
  const snoozed = sql<boolean>`resources.id IN ${jsonArrayValues(s.dialect, s.idsJson, 'bigint')}`;
  switch (mode) {
    case 'include':
      return null;
    case 'exclude':
      return s.count === 0 ? null : sql<boolean>`NOT ${snoozed}`;
    case 'only':
      return s.count === 0 ? sql<boolean>`1 = 0` : snoozed;
  }
}

export function toFindingSnoozeDto(r: SnoozeRow): FindingSnoozeDto {
  return {
    id: r.id,
    scope: r.scope,
    tagKey: r.tag_key,
    tagValue: r.tag_value,
    reason: r.reason,
    until: r.until,
    createdAt: r.created_at,
  };
}

/** Of two snoozes on one finding, the one that holds longer (for good beats any date). */
function longer(a: FindingSnoozeDto | undefined, b: FindingSnoozeDto): FindingSnoozeDto {
  if (a === undefined) return b;
  if (a.until === null) return a;
  if (b.until === null) return b;
  return b.until > a.until ? b : a;
}

interface SnoozeTarget {
  id: number;
  resourceType: string;
  region: string;
  resourceId: string;
  tags: Record<string, string>;
}

/** The current snooze of each of these findings (findings not snoozed are absent). */
export async function snoozesOf(db: Kysely<Database>, accountId: string, rows: readonly SnoozeTarget[], s: CurrentSnoozes): Promise<Map<number, FindingSnoozeDto>> {
  const out = new Map<number, FindingSnoozeDto>();
  if (rows.length === 0) return out;
  if (s.anyFinding) {
    const awsIds = [...new Set(rows.map((r) => r.resourceId))];
    const found: SnoozeRow[] = [];
    for (let i = 0; i < awsIds.length; i += 500) {
      found.push(
        ...(await db
          .selectFrom('snoozes')
          .selectAll()
          .where('account_id', '=', accountId)
          .where(sql<boolean>`scope = 'finding'`)
          .where('resource_id', 'in', awsIds.slice(i, i + 500))
          .where(sql<boolean>`(until IS NULL OR until > ${s.now})`)
          .execute()),
      );
    }
    const byIdentity = new Map(found.map((f) => [`${f.resource_type}\u0000${f.region}\u0000${f.resource_id}`, toFindingSnoozeDto(f)]));
    for (const r of rows) {
      const hit = byIdentity.get(`${r.resourceType}\u0000${r.region}\u0000${r.resourceId}`);
      if (hit) out.set(r.id, hit);
    }
  }
  for (const t of s.tags) {
    const dto = toFindingSnoozeDto(t);
    for (const r of rows) {
      if (t.tag_key !== null && Object.hasOwn(r.tags, t.tag_key) && r.tags[t.tag_key] === t.tag_value) out.set(r.id, longer(out.get(r.id), dto));
    }
  }
  return out;
}

/** The rows with their current snooze (the lists, the drawer): `snooze` stays null on a row no snooze covers. */
export async function withSnoozes(db: Kysely<Database>, accountId: string, rows: ResourceDto[], s: CurrentSnoozes): Promise<ResourceDto[]> {
  if (rows.length === 0 || s.count === 0) return rows;
  const by = await snoozesOf(db, accountId, rows, s);
  return rows.map((r) => ({ ...r, snooze: by.get(r.id) ?? null }));
}

export interface SnoozeValues {
  reason: string;
  until: string | null;
  now: Date;
}

/**
 * Snoozes findings by identity, one snooze each; a finding already snoozed gets the new reason and end (one upsert,
 * in one transaction). Returns the snoozes' ids.
 */
export async function setFindingSnoozes(
  db: Kysely<Database>,
  accountId: string,
  targets: readonly { resourceType: string; region: string; resourceId: string }[],
  v: SnoozeValues,
): Promise<number[]> {
  const created = v.now.toISOString();
  return db.transaction().execute(async (trx) => {
    const ids: number[] = [];
    for (const t of targets) {
      // The conflict target names the partial index's WHERE as a literal: SQLite only matches it that way.
      const { rows } = await sql<{ id: number }>`
        INSERT INTO snoozes (account_id, scope, resource_type, region, resource_id, until, reason, created_at)
        VALUES (${accountId}, 'finding', ${t.resourceType}, ${t.region}, ${t.resourceId}, ${v.until}, ${v.reason}, ${created})
        ON CONFLICT (account_id, resource_type, region, resource_id) WHERE scope = 'finding'
        DO UPDATE SET until = excluded.until, reason = excluded.reason, created_at = excluded.created_at
        RETURNING id`.execute(trx);
      if (rows[0]) ids.push(rows[0].id);
    }
    return ids;
  });
}

/** Snoozes every finding tagged key=value (now and in later scans); the tag's snooze is replaced if it exists. */
export async function setTagSnooze(db: Kysely<Database>, accountId: string, tag: { key: string; value: string }, v: SnoozeValues): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO snoozes (account_id, scope, tag_key, tag_value, until, reason, created_at)
    VALUES (${accountId}, 'tag', ${tag.key}, ${tag.value}, ${v.until}, ${v.reason}, ${v.now.toISOString()})
    ON CONFLICT (account_id, tag_key, tag_value) WHERE scope = 'tag'
    DO UPDATE SET until = excluded.until, reason = excluded.reason, created_at = excluded.created_at
    RETURNING id`.execute(db);
  return rows[0]!.id;
}

/**
 * The account's snoozes, current first (the soonest to end first, for good last), then ended ones (latest ended first),
 * each with the active unused findings it covers now. `ids`: only these.
 */
export async function listSnoozes(db: Kysely<Database>, accountId: string, now: Date = new Date(), ids?: readonly number[]): Promise<SnoozeDto[]> {
  if (ids !== undefined && ids.length === 0) return [];
  const iso = now.toISOString();
  // Written out in the ORDER BY too: PostgreSQL takes an output column's name there only on its own, not inside a CASE.
  // Integers, not booleans: PostgreSQL's comparison is a boolean; 1/0 is what both stores return for a CASE.
  const current = sql`(s.until IS NULL OR s.until > ${iso})`;
  const { rows } = await sql<SnoozeRow & { finding_id: number | null; findings: number; is_current: number }>`
    SELECT s.*,
      CASE WHEN ${current} THEN 1 ELSE 0 END AS is_current,
      CASE WHEN s.scope = 'finding' THEN (
        SELECT r.id FROM resources r WHERE r.account_id = s.account_id AND r.resource_type = s.resource_type AND r.region = s.region AND r.resource_id = s.resource_id
      ) END AS finding_id,
      CASE WHEN s.scope = 'finding' THEN (
        SELECT COUNT(*) FROM resources r WHERE r.account_id = s.account_id AND r.resource_type = s.resource_type AND r.region = s.region
          AND r.resource_id = s.resource_id AND r.status = 'active' AND r.unused = 1
      ) ELSE (
        SELECT COUNT(*) FROM resources r WHERE r.account_id = s.account_id AND r.status = 'active' AND r.unused = 1
          AND ${tagIs(dialectOfDb(db), sql.ref('s.tag_key'), sql.ref('s.tag_value'), sql`'$."' || s.tag_key || '"'`)}
      ) END AS findings
    FROM snoozes s
    WHERE s.account_id = ${accountId} ${ids === undefined ? sql`` : sql`AND s.id IN (${sql.join([...ids])})`}
    ORDER BY CASE WHEN ${current} THEN 0 ELSE 1 END, CASE WHEN ${current} THEN (CASE WHEN s.until IS NULL THEN 1 ELSE 0 END) END,
      CASE WHEN ${current} THEN s.until END ASC, s.until DESC, s.id DESC`.execute(db);
  return rows.map((r) => ({
    ...toFindingSnoozeDto(r),
    resourceType: r.resource_type,
    region: r.region,
    resourceId: r.resource_id,
    findingId: r.finding_id,
    current: r.is_current === 1,
    findings: Number(r.findings),
  }));
}

/** Ends a snooze now (un-snooze): the row goes. False when the account has no such snooze. */
export async function removeSnooze(db: Kysely<Database>, accountId: string, id: number): Promise<boolean> {
  const res = await db.deleteFrom('snoozes').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
