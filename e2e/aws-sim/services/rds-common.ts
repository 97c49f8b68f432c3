/**
 * RDS simulator helpers shared by the service's instance and cluster operations (rds.ts) and its snapshot operations
 * (rds-snapshots.ts): AWS's error codes, identifier checks, Marker paging, filters and tag lists, lookups.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import type { QueryParams } from '../protocols/query-params';
import { el, node } from '../protocols/xml';
import type { SimDbCluster, SimDbInstance, SimRdsRegion } from '../rds-state';
import type { SimTag } from '../state';

export const instanceNotFound = (id: string): ApiError => new ApiError('DBInstanceNotFound', `DBInstance ${id} not found.`, 404);
export const clusterNotFound = (id: string): ApiError => new ApiError('DBClusterNotFoundFault', `DBCluster ${id} not found.`, 404);
export const invalidValue = (message: string): ApiError => new ApiError('InvalidParameterValue', message);
export const invalidCombination = (message: string): ApiError => new ApiError('InvalidParameterCombination', message);
export const instanceState = (message: string): ApiError => new ApiError('InvalidDBInstanceState', message);
export const clusterState = (message: string): ApiError => new ApiError('InvalidDBClusterStateFault', message);

export function required(p: QueryParams, name: string): string {
  const v = p.get(name);
  if (v === undefined || v === '') throw new ApiError('MissingParameter', `The request must contain the parameter ${name}`);
  return v;
}

/** RDS identifiers: a letter first; letters, digits and hyphens; no `--`; no trailing hyphen; at most 255 (snapshots). */
export function checkIdentifier(name: string, value: string, max = 255): string {
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(value) || value.includes('--') || value.endsWith('-') || value.length > max) {
    throw invalidValue(
      `The parameter ${name} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
  }
  return value.toLowerCase();
}

// ---- paging and filters ----

export const RDS_MIN_RECORDS = 20;
export const RDS_MAX_RECORDS = 100;

interface Marker {
  f: string;
  a: string;
}

/** One page after `Marker` (items ordered by `keyOf`) and the next Marker; markers are opaque and bound to the request. */
export function rdsPage<T>(items: readonly T[], keyOf: (t: T) => string, p: QueryParams): { page: T[]; marker?: string } {
  const raw = p.int('MaxRecords');
  if (raw !== undefined && (Number.isNaN(raw) || raw < RDS_MIN_RECORDS || raw > RDS_MAX_RECORDS)) {
    throw invalidValue(`Invalid value ${p.get('MaxRecords') ?? ''} for MaxRecords. Must be between ${RDS_MIN_RECORDS} and ${RDS_MAX_RECORDS}`);
  }
  const size = raw ?? RDS_MAX_RECORDS;
  const all = [...items].sort((x, y) => (keyOf(x) < keyOf(y) ? -1 : keyOf(x) > keyOf(y) ? 1 : 0));
  const fp = createHash('sha256').update(p.fingerprint(['Marker', 'MaxRecords'])).digest('base64url').slice(0, 16);
  let start = 0;
  const marker = p.get('Marker');
  if (marker !== undefined && marker !== '') {
    let m: Marker | undefined;
    try {
      m = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as Marker;
    } catch {
      m = undefined;
    }
    if (!m || typeof m.a !== 'string' || m.f !== fp) throw invalidValue('The parameter Marker is not valid.');
    const after = m.a;
    start = all.findIndex((t) => keyOf(t) > after);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + size);
  const last = page.at(-1);
  const more = start + size < all.length && last !== undefined;
  return { page, ...(more ? { marker: Buffer.from(JSON.stringify({ f: fp, a: keyOf(last) } satisfies Marker)).toString('base64url') } : {}) };
}

/** `Filters.Filter.N.Name` / `Filters.Filter.N.Values.Value.M`, checked against the names the operation supports. */
export function filtersOf(p: QueryParams, supported: readonly string[]): { name: string; values: string[] }[] {
  const out: { name: string; values: string[] }[] = [];
  for (let n = 1; p.get(`Filters.Filter.${n}.Name`) !== undefined; n++) {
    const name = p.get(`Filters.Filter.${n}.Name`) ?? '';
    if (!supported.includes(name)) throw invalidValue(`Unrecognized filter name: ${name}.`);
    out.push({ name, values: p.list(`Filters.Filter.${n}.Values.Value`) });
  }
  return out;
}

/** A filter value matches an identifier or its ARN (RDS accepts both for the id filters). */
export const matchesId = (values: readonly string[], id: string, arn: string): boolean =>
  values.some((v) => v.toLowerCase() === id || v === arn);

export function tagsParam(p: QueryParams): SimTag[] {
  const tags: SimTag[] = [];
  for (let n = 1; p.get(`Tags.Tag.${n}.Key`) !== undefined; n++) tags.push({ key: p.get(`Tags.Tag.${n}.Key`) ?? '', value: p.get(`Tags.Tag.${n}.Value`) ?? '' });
  return tags;
}

// ---- XML ----

/** `<Name><Member>…</Member></Name>` (RDS lists name their members), `<Name/>` when empty. */
export function list(name: string, member: string, items: readonly string[]): string {
  return items.length === 0 ? `<${name}/>` : node(name, ...items.map((i) => node(member, i)));
}

export function tagList(tags: readonly SimTag[]): string {
  return list('TagList', 'Tag', tags.map((t) => el('Key', t.key) + el('Value', t.value)));
}

export function instanceOf(rds: SimRdsRegion, id: string): SimDbInstance {
  const i = rds.instances.get(id.toLowerCase());
  if (i === undefined) throw instanceNotFound(id);
  return i;
}

export function clusterOf(rds: SimRdsRegion, id: string): SimDbCluster {
  const c = rds.clusters.get(id.toLowerCase());
  if (c === undefined) throw clusterNotFound(id);
  return c;
}
