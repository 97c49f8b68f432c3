import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../handlers/handler';
import type { DbHandle } from '../connection';
import { openMemoryDatabase } from '../database';
import { upsertAccount } from './accounts';
import { createScan } from './scans';
import { ResourceWriter, listFindings } from './resources';
import { ftsMatchExpression, syncSearchIndex } from './resources-search';

const ACCOUNT = '111122223333';

// Names, reasons and tags with what a search must take literally: LIKE wildcards, the escape, quotes, FTS5 syntax,
// non-ASCII letters (LIKE folds ASCII case only), emoji.
const NAMES = [
  null, 'web-Server-01', 'db_primary', '50% off', 'a_b\\c', 'say "hi"', "it's", 'a OR b', 'NEAR(x y)', 'wor*ker',
  'École Ünïcode', 'école', 'Straße', '日本語のサーバー', '🙂x-box', 'workload-12', 'workload-120', 'WORKLOAD-12b', 'c:\\temp\\x',
  '\u212Aelvin İstanbul', // Kelvin sign, dotted I: Unicode folding makes them k and i, LIKE does not
];
const REASONS = [null, 'Not attached to any instance', 'Stopped by the user 12 days ago', 'No connections in 30 days (100%)', 'Unused_since "never"'];
const TAGS: Record<string, string>[] = [{}, { team: 'blue' }, { Team: 'Red', env: 'dev' }, { 'cost-center': '50%' }, { note: 'quote " and \\ slash' }, { 名前: 'テスト' }];

function finding(i: number): Finding {
  return {
    resourceType: i % 2 === 0 ? 'ec2:volume' : 'ec2:snapshot',
    resourceId: i % 7 === 0 ? `vol-${i.toString(16).padStart(8, '0')}` : `snap-%${i}_X`,
    region: i % 3 === 0 ? 'eu-west-1' : 'us-east-1',
    name: NAMES[i % NAMES.length]!,
    state: 'available',
    tags: TAGS[i % TAGS.length]!,
    createdAt: null,
    unused: i % 4 !== 0,
    unusedReason: REASONS[i % REASONS.length]!,
    unusedSince: null,
    monthlyCost: i % 11 === 0 ? null : i / 100,
    costBasis: 'test',
    protected: false,
    protectedReason: null,
    details: {},
  };
}

const SEARCHES = [
  'a', 'ab', 'x', '%', '50%', '0%)', '_', 'a_b', 'b_', '\\', 'a_b\\c', '\\temp', '"', 'say "hi"', '"hi"', "it's", "'", 'a OR b', 'OR', 'NEAR(',
  'NEAR(x', '*', 'wor*', 'r*k', 'É', 'école', 'ÉCOLE', 'École', 'cole', 'Straße', 'STRASSE', '日本語', 'サーバー', '🙂x', '🙂x-', 'team', 'TEAM',
  '"team":"blue"', 'Red', 'env', '名前', 'テスト', 'vol-0000', 'VOL-0000001', 'snap-%1', 'snap-%12_', '_x', 'attached', 'NOT ATTACHED', '12 days',
  'workload-12', 'workload-12b', 'load-1', '  web-server  ', 'never', '"never"', 'no such text anywhere', '":"', 'and \\\\ slash',
  'kelvin', 'KELVIN', '\u212Aelvin', 'elvin', 'istanbul', 'İstanbul', 'stanbul',
];

/** SQLite's LIKE: case folded for ASCII letters only. */
const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
function likeOracle(rows: Finding[], search: string): string[] {
  const needle = asciiLower(search.trim());
  return rows
    .filter((f) => [f.resourceId, f.name, f.unusedReason, JSON.stringify(f.tags)].some((v) => v !== null && asciiLower(v).includes(needle)))
    .map((f) => `${f.resourceType}|${f.region}|${f.resourceId}`)
    .sort();
}

let h: DbHandle;
beforeEach(async () => {
  h = await openMemoryDatabase();
  await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'p' });
});
afterEach(async () => {
  await h.close();
});

async function searchKeys(search: string): Promise<string[]> {
  const keys: string[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await listFindings(h.db, { accountId: ACCOUNT, search, unusedOnly: false, limit: 1000, offset });
    keys.push(...page.rows.map((r) => `${r.resourceType}|${r.region}|${r.resourceId}`));
    if (page.rows.length < 1000) return keys.sort();
  }
}
const ftsRows = (text: string): number[] =>
  h.sqlite.prepare('SELECT rowid FROM resources_fts WHERE resources_fts MATCH ?').pluck().all(ftsMatchExpression(text)) as number[];

describe('findings search (trigram index)', () => {
  it('finds exactly what a LIKE-only search finds, for short, wildcard, quoted, FTS-syntax, non-ASCII, tag, id and reason searches', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => finding(i));
    new ResourceWriter(h.sqlite, ACCOUNT, () => 'x').write(rows, null);
    expect(h.sqlite.prepare('SELECT COUNT(*) FROM resources_fts_pending').pluck().get()).toBe(0); // all indexed
    let nonEmpty = 0;
    for (const search of SEARCHES) {
      const expected = likeOracle(rows, search);
      if (expected.length > 0) nonEmpty++;
      expect({ search, keys: await searchKeys(search) }).toEqual({ search, keys: expected });
      const page = await listFindings(h.db, { accountId: ACCOUNT, search, unusedOnly: false, limit: 1 });
      expect({ search, total: page.total }).toEqual({ search, total: expected.length });
    }
    expect(nonEmpty).toBeGreaterThan(SEARCHES.length - 8); // the set exercises matches, not just empty results
  });

  it('quotes the search as literal FTS5 strings: syntax words, quotes and stars are text, short searches use LIKE alone', () => {
    expect(ftsMatchExpression('ab')).toBeNull();
    expect(ftsMatchExpression('🙂x')).toBeNull(); // two characters (one is a surrogate pair)
    // One phrase, lowered as SQLite's lower() lowers (ASCII letters only).
    expect(ftsMatchExpression('a OR b')).toBe('"a or b"');
    expect(ftsMatchExpression('x"*Y')).toBe('"x""*y"');
    expect(ftsMatchExpression('ÉCOLE \u212A')).toBe('"École \u212A"');
  });

  it('a renamed resource is found by its new name and not its old one, by the scan writer or by any other write', async () => {
    const w = new ResourceWriter(h.sqlite, ACCOUNT, () => 'x');
    const s1 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    w.write([{ ...finding(1), name: 'alpha-original' }, finding(2)], s1);
    expect(await searchKeys('alpha-orig')).toHaveLength(1);
    const s2 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    w.write([{ ...finding(1), name: 'beta-renamed' }, finding(2)], s2);
    expect(await searchKeys('alpha-orig')).toEqual([]);
    expect(await searchKeys('beta-renamed')).toHaveLength(1);
    expect(ftsRows('alpha-orig')).toEqual([]); // the old index entry is gone, not just filtered out
    // Another writer (not the scan's): found at once through the queue, and in the index after the next sync.
    h.sqlite.prepare(`UPDATE resources SET name = 'gamma-direct' WHERE name = 'beta-renamed'`).run();
    expect(await searchKeys('gamma-direct')).toHaveLength(1);
    expect(await searchKeys('beta-renamed')).toEqual([]);
    h.sqlite.transaction(() => syncSearchIndex(h.sqlite))();
    expect(h.sqlite.prepare('SELECT COUNT(*) FROM resources_fts_pending').pluck().get()).toBe(0);
    expect(ftsRows('gamma-direct')).toHaveLength(1);
    expect(ftsRows('beta-renamed')).toEqual([]);
    expect(await searchKeys('gamma-direct')).toHaveLength(1);
    // An unchanged re-scan queues nothing.
    const s3 = await createScan(h.db, { accountId: ACCOUNT, kind: 'resources' });
    h.sqlite.prepare(`UPDATE resources SET name = 'beta-renamed' WHERE name = 'gamma-direct'`).run();
    h.sqlite.transaction(() => syncSearchIndex(h.sqlite))();
    w.write([{ ...finding(1), name: 'beta-renamed' }, finding(2)], s3);
    expect(h.sqlite.prepare('SELECT COUNT(*) FROM resources_fts_pending').pluck().get()).toBe(0);
  });

  it('deleted resource rows (the account removed) leave no index entry', async () => {
    await upsertAccount(h.db, { id: '444455556666', alias: null, partition: 'aws', arn: null, profile: 'q' });
    new ResourceWriter(h.sqlite, ACCOUNT, () => 'x').write([{ ...finding(1), name: 'kept-one' }], null);
    new ResourceWriter(h.sqlite, '444455556666', () => 'x').write([{ ...finding(1), name: 'removed-one' }], null);
    const docs = () => h.sqlite.prepare('SELECT COUNT(*) FROM resources_fts_docsize').pluck().get();
    expect(docs()).toBe(2);
    h.sqlite.prepare(`DELETE FROM accounts WHERE id = '444455556666'`).run();
    new ResourceWriter(h.sqlite, ACCOUNT, () => 'x').write([{ ...finding(1), name: 'kept-one' }], null); // syncs
    expect(docs()).toBe(1);
    expect(ftsRows('removed-one')).toEqual([]);
    expect(ftsRows('kept-one')).toHaveLength(1);
  });
});
