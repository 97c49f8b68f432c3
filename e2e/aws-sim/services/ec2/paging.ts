/**
 * EC2 MaxResults/NextToken paging. Tokens are opaque, bound to the request's other parameters, and carry the
 * last id returned (items are ordered by id), so deletions between pages never skip or repeat an item.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../../api-error';
import type { QueryParams } from '../../protocols/query-params';

export interface PageBounds {
  min: number;
  max: number;
  /** Name of the id-list parameter that cannot be combined with MaxResults (AWS: InvalidParameterCombination). */
  idsParam?: string;
  idsGiven?: boolean;
  /** Values above `max` are served as `max` instead of rejected (DescribeVpcEndpoints: "greater than 1,000, we return only 1,000"). */
  clampAboveMax?: boolean;
}

interface Token {
  f: string;
  a: string;
}

function fingerprint(p: QueryParams): string {
  return createHash('sha256').update(p.fingerprint(['MaxResults', 'NextToken'])).digest('base64url').slice(0, 16);
}

/** Validates MaxResults/NextToken; returns the page size (Infinity when absent: AWS returns everything). */
export function pageSize(p: QueryParams, b: PageBounds): number {
  const max = p.int('MaxResults');
  if (max === undefined) return Infinity;
  if (b.idsGiven && b.idsParam) {
    throw new ApiError('InvalidParameterCombination', `The parameter ${b.idsParam} cannot be used with the parameter maxResults`);
  }
  if (b.clampAboveMax && Number.isFinite(max) && max > b.max) return b.max;
  if (!Number.isFinite(max) || max < b.min || max > b.max) {
    throw new ApiError(
      'InvalidParameterValue',
      `Value ( ${p.get('MaxResults')} ) for parameter maxResults is invalid. Parameter must be between ${b.min} and ${b.max}.`,
    );
  }
  return max;
}

export function paginate<T>(items: readonly T[], idOf: (t: T) => string, p: QueryParams, b: PageBounds): { page: T[]; nextToken?: string } {
  const size = pageSize(p, b);
  const sorted = [...items].sort((x, y) => (idOf(x) < idOf(y) ? -1 : idOf(x) > idOf(y) ? 1 : 0));
  const fp = fingerprint(p);
  let start = 0;
  const raw = p.get('NextToken');
  if (raw !== undefined && raw !== '') {
    let tok: Token | undefined;
    try {
      tok = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Token;
    } catch {
      tok = undefined;
    }
    if (!tok || typeof tok.a !== 'string' || tok.f !== fp) throw new ApiError('InvalidNextToken', 'The specified pagination token is not valid.');
    const after = tok.a;
    start = sorted.findIndex((t) => idOf(t) > after);
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + size);
  const last = page[page.length - 1];
  const more = start + size < sorted.length && last !== undefined;
  return {
    page,
    nextToken: more ? Buffer.from(JSON.stringify({ f: fp, a: idOf(last) } satisfies Token)).toString('base64url') : undefined,
  };
}
