/**
 * A page of findings is the same on both stores (issue #21): where SQLite and PostgreSQL differ by default — NULLs
 * (SQLite sorts them first ascending, PostgreSQL last), text order (SQLite compares bytes, PostgreSQL by the
 * database's collation), LIKE's case (SQLite folds ASCII letters only, PostgreSQL's LIKE folds none), JSON quoting in
 * the tag snoozes — the queries say which, and these tests pin it. The PostgreSQL test server's locale is C: the
 * PostgreSQL run repeats the checks with the text columns under a language collation (ICU English), as on a team
 * server created with en_US.UTF-8.
 */
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../../../../migrations/dialect';
import { beforeEach, expect, it } from 'vitest';
import type { Finding } from '../../handlers/handler';
import { describeEachDialect } from '../../test-support/dialects';
import { writeFindings } from '../../test-support/seed-findings';
import type { AppDb } from '../store';
import { upsertAccount } from './accounts';
import { CONTENT_COLUMNS } from './resource-writer';
import { findingFacets, listFindings, type FindingSortColumn } from './resources';
import { setTagSnooze } from './snoozes';

const ACCOUNT = '111122223333';
const T0 = new Date('2026-03-01T12:00:00.000Z');
// Byte order: 'A' < 'B' < 'Z' < '_' < 'a' < 'b' < 'e' < 'é'; a language collation puts a, A, b, B, … together.
const NAMES = ['b', 'B', 'a', 'A', '_x', 'Z', 'é', 'e', null];

function finding(i: number): Finding {
  const name = NAMES[i % NAMES.length]!;
  return {
    resourceType: i % 3 === 0 ? 'Zeta:kind' : i % 3 === 1 ? 'alpha:kind' : 'Alpha:kind',
    resourceId: `r-${String(i).padStart(2, '0')}`,
    region: i % 2 === 0 ? 'eu-west-1' : 'EU-x',
    name,
    state: i % 4 === 0 ? null : name,
    tags: {},
    createdAt: i % 5 === 0 ? null : `2025-0${(i % 9) + 1}-01T00:00:00.000Z`,
    unused: true,
    unusedReason: 'Not attached',
    unusedSince: i % 4 === 1 ? null : `2026-0${(i % 7) + 1}-01T00:00:00.000Z`,
    monthlyCost: i % 6 === 0 ? null : (i % 5) + 1,
    costBasis: 'test',
    protected: false,
    protectedReason: null,
    details: {},
  };
}
const FINDINGS = Array.from({ length: 27 }, (_, i) => finding(i));

/** Byte order (UTF-8), as SQLite's BINARY collation compares. */
const bytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

describeEachDialect('findings order and matching', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
    await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
    await writeFindings(h, ACCOUNT, FINDINGS, null, { now: T0.toISOString() });
  });

  /** The PostgreSQL run again with the text columns compared by language rules (a team server's en_US.UTF-8). */
  async function languageCollation(): Promise<void> {
    if (h.dialect !== 'postgres') return;
    await sql`CREATE COLLATION lang (provider = icu, locale = 'en-US')`.execute(h.db);
    // A column a trigger's condition names cannot change type: 0013's digest guard goes while they do, and comes back.
    await sql`DROP TRIGGER resources_content_hash_guard ON resources; DROP FUNCTION resources_content_hash_guard()`.execute(h.db);
    for (const c of ['resource_type', 'region', 'resource_id', 'service_code', 'name', 'state', 'unused_since', 'created_at', 'last_seen', 'reason_category']) {
      await sql`ALTER TABLE resources ALTER COLUMN ${sql.ref(c)} TYPE TEXT COLLATE lang`.execute(h.db);
    }
    await dialectOf(h.db as Kysely<unknown>).createContentHashGuard(h.db as Kysely<unknown>, CONTENT_COLUMNS);
    await sql`ALTER TABLE resource_search ALTER COLUMN text TYPE TEXT COLLATE lang`.execute(h.db);
    // The collation does what this test is about: 'a' before 'B' (bytes put 'B' first).
    const { rows } = await sql<{ v: boolean }>`SELECT 'a'::text COLLATE lang < 'B'::text COLLATE lang AS v`.execute(h.db);
    expect(rows[0]!.v).toBe(true);
  }

  /** Every finding in the order the sort should give: by the column (NULLs last both ways), then by id. */
  function expected(column: FindingSortColumn, direction: 'asc' | 'desc', value: (f: Finding) => string | number | null): string[] {
    const withIds = FINDINGS.map((f, i) => ({ f, id: i + 1 }));
    return withIds
      .sort((x, y) => {
        const a = value(x.f);
        const b = value(y.f);
        if (a === null || b === null) return a === b ? x.id - y.id : a === null ? 1 : -1;
        const c = typeof a === 'number' && typeof b === 'number' ? a - b : bytes(String(a), String(b));
        return (direction === 'asc' ? c : -c) || x.id - y.id;
      })
      .map((x) => x.f.resourceId);
  }

  const SORTS: [FindingSortColumn, (f: Finding) => string | number | null][] = [
    ['monthlyCost', (f) => f.monthlyCost],
    ['unusedSince', (f) => f.unusedSince],
    ['name', (f) => f.name],
    ['state', (f) => f.state],
    ['createdAt', (f) => f.createdAt],
    ['resourceType', (f) => f.resourceType],
    ['region', (f) => f.region],
  ];

  async function checkSorts(): Promise<void> {
    // The ids are written in order: id i + 1 is FINDINGS[i] (the tie-break of `expected`).
    const ids = await h.db.selectFrom('resources').select(['id', 'resource_id']).orderBy('id').execute();
    expect(ids.map((r) => r.resource_id)).toEqual(FINDINGS.map((f) => f.resourceId));
    expect(ids.map((r) => r.id)).toEqual(FINDINGS.map((_, i) => ids[0]!.id + i));
    for (const [column, value] of SORTS) {
      for (const direction of ['asc', 'desc'] as const) {
        const all = await listFindings(h.db, { accountId: ACCOUNT, sort: { column, direction }, limit: 100, now: T0 });
        const want = expected(column, direction, value);
        expect([column, direction, all.rows.map((r) => r.resourceId)]).toEqual([column, direction, want]);
        // And page by page: the second page starts where the first ended.
        const p2 = await listFindings(h.db, { accountId: ACCOUNT, sort: { column, direction }, limit: 10, offset: 10, now: T0 });
        expect(p2.rows.map((r) => r.resourceId)).toEqual(want.slice(10, 20));
      }
    }
  }

  async function checkFacetsAndSearch(): Promise<void> {
    const f = await findingFacets(h.db, ACCOUNT, T0);
    expect(f.resourceTypes).toEqual(['Alpha:kind', 'Zeta:kind', 'alpha:kind']);
    expect(f.regions).toEqual(['EU-x', 'eu-west-1']);
    const names = async (search: string) => (await listFindings(h.db, { accountId: ACCOUNT, search, limit: 100, now: T0 })).rows.map((r) => r.name);
    // ASCII letters match in any case; other letters only as written (as SQLite's LIKE).
    expect(new Set(await names('Z'))).toEqual(new Set(['Z'])); // 'Zeta:kind' is the type, not searched
    expect((await names('B')).sort()).toEqual(['B', 'B', 'B', 'b', 'b', 'b']);
    expect((await names('é')).sort()).toEqual(['é', 'é', 'é']);
    expect(await names('É')).toEqual([]);
    // Escapes: _ and % are literal.
    expect((await names('_')).sort()).toEqual(['_x', '_x', '_x']);
    expect(await names('%')).toEqual([]);
  }

  it('sorts every column the same way on both stores: NULLs last in both directions, text byte by byte, ties by id', async () => {
    await checkSorts();
  });

  it('facets in byte order; search folds ASCII letters only and takes _ and % literally', async () => {
    await checkFacetsAndSearch();
  });

  store.only('postgres')('on PostgreSQL, the same under a language collation (a team server created with en_US.UTF-8)', async () => {
    await languageCollation();
    await checkSorts();
    await checkFacetsAndSearch();
  });

  it('a tag snooze matches a value with quotes, backslashes and LIKE wildcards exactly', async () => {
    const odd = 'a"b\\c%_d';
    await writeFindings(h, ACCOUNT, [{ ...finding(100), resourceId: 'tagged', tags: { owner: odd } }, { ...finding(101), resourceId: 'near', tags: { owner: 'a"b\\cX_d' } }], null, {
      now: T0.toISOString(),
    });
    const before = (await listFindings(h.db, { accountId: ACCOUNT, limit: 100, now: T0 })).total;
    await setTagSnooze(h.db, ACCOUNT, { key: 'owner', value: odd }, { reason: 'odd tag', until: null, now: T0 });
    const only = await listFindings(h.db, { accountId: ACCOUNT, ignored: 'only', now: T0 });
    expect(only.rows.map((r) => r.resourceId)).toEqual(['tagged']);
    expect((await listFindings(h.db, { accountId: ACCOUNT, limit: 100, now: T0 })).total).toBe(before - 1);
  });
});
