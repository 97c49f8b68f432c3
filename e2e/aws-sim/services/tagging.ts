/**
 * Resource Groups Tagging API over JSON 1.1 (signing name `tagging`, IAM prefix `tag`, target prefix
 * `ResourceGroupsTaggingAPI_20170126`): GetResources over the whole region, listing what each service state's
 * `taggedResources()` returns (RDS, ElastiCache, Redshift, OpenSearch).
 *
 * AWS lists "tagged or previously tagged" resources: one never tagged is absent. The simulator keeps no tag history,
 * so a resource with no tags now is treated as never tagged and left out (a caller must read absent as "no tags").
 *
 * - ResourceTypeFilters (≤ 100): `service` matches every type of the service, `service:type` exactly; a filter that
 *   is not of that form → InvalidParameterException; one naming nothing here simply matches nothing.
 * - TagFilters (≤ 50, each a key of 1–128 characters and ≤ 20 values): all filters must match (AND); a filter's
 *   values are alternatives (OR); a filter without values matches any value of the key.
 * - ResourceARNList (1–100 ARNs): only those (unknown ARNs are no error); with ResourcesPerPage, TagsPerPage or a
 *   PaginationToken → InvalidParameterException.
 * - Paging, ordered by ARN: ResourcesPerPage 1–100 (default here: 100), TagsPerPage 100–500 (a resource without
 *   tags counts as one; a resource's tags never split across pages); out of bounds → InvalidParameterException.
 *   PaginationToken is opaque and bound to the request's other parameters (another request's token →
 *   InvalidParameterException); the last page answers `PaginationToken: ""`, as AWS does. Tokens do not expire
 *   here (AWS's expire, PaginationTokenExpiredException).
 * - IncludeComplianceDetails / ExcludeCompliantResources: no tag policies are modelled; ignored.
 * - Denied (`deny: ['tag:GetResources']`) → AccessDeniedException 400 naming `tag:GetResources`; throttling
 *   ThrottledException 400, server errors InternalServiceException 500 (the model's codes).
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import type { JsonObject } from '../protocols/json';
import { jsonService } from '../protocols/json';
import type { CallContext } from '../protocols/protocol';
import { notAuthorizedMessage } from '../protocols/protocol';
import type { SimTaggedResource } from '../state';

const DEFAULT_RESOURCES_PER_PAGE = 100;
const RESOURCE_TYPE_FILTER = /^[a-z0-9-]+(:[A-Za-z0-9-]+)?$/;

const invalid = (message: string): ApiError => new ApiError('InvalidParameterException', message, 400);

/** Every resource of the region, from each service's state, ordered by ARN. */
function regionResources(ctx: CallContext): SimTaggedResource[] {
  const r = ctx.region;
  const at = { region: ctx.regionName, accountId: ctx.account.accountId };
  return [r.rds, r.elasticache, r.redshift, r.opensearch, r.logs, r.s3, r.ecr, r.secretsManager, r.kms, r.eks, r.sagemaker]
    .flatMap((s) => s.taggedResources(at))
    .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

interface TagFilter {
  key: string;
  values: string[];
}

function stringList(v: unknown, name: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalid(`${name} must be a list of strings`);
  return v as string[];
}

function intParam(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}; got ${String(v)}`);
  }
  return v;
}

function tagFilters(v: unknown): TagFilter[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid('TagFilters must be a list');
  if (v.length > 50) throw invalid('TagFilters: a request can include up to 50 keys');
  return v.map((f: unknown) => {
    const o = (f ?? {}) as JsonObject;
    const key = o['Key'];
    if (typeof key !== 'string' || key.length < 1 || key.length > 128) throw invalid('TagFilters: each filter needs a Key of 1 to 128 characters');
    const values = stringList(o['Values'], 'TagFilters.Values') ?? [];
    if (values.length > 20) throw invalid(`TagFilters: the key ${key} can include up to 20 values`);
    return { key, values };
  });
}

function matchesType(resourceType: string, filters: readonly string[]): boolean {
  return filters.some((f) => (f.includes(':') ? resourceType === f : resourceType.startsWith(`${f}:`)));
}

function matchesTags(res: SimTaggedResource, filters: readonly TagFilter[]): boolean {
  return filters.every((f) => res.tags.some((t) => t.key === f.key && (f.values.length === 0 || f.values.includes(t.value))));
}

interface Token {
  after: string;
  q: string;
}

function encodeToken(t: Token): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(s: string, q: string): Token {
  let t: Partial<Token>;
  try {
    t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Partial<Token>;
  } catch {
    throw invalid('The PaginationToken is invalid');
  }
  if (typeof t.after !== 'string' || t.q !== q) throw invalid('The PaginationToken is invalid');
  return { after: t.after, q };
}

function getResources(ctx: CallContext, input: JsonObject): JsonObject {
  const typeFilters = stringList(input['ResourceTypeFilters'], 'ResourceTypeFilters') ?? [];
  if (typeFilters.length > 100) throw invalid('ResourceTypeFilters: you can specify up to 100 resource types');
  const bad = typeFilters.find((f) => !RESOURCE_TYPE_FILTER.test(f));
  if (bad !== undefined) throw invalid(`ResourceTypeFilters: "${bad}" is not of the form service[:resourceType]`);
  const tags = tagFilters(input['TagFilters']);
  const perPage = intParam(input['ResourcesPerPage'], 'ResourcesPerPage', 1, 100);
  const tagsPerPage = intParam(input['TagsPerPage'], 'TagsPerPage', 100, 500);
  const rawToken = input['PaginationToken'];
  if (rawToken !== undefined && rawToken !== null && typeof rawToken !== 'string') throw invalid('PaginationToken must be a string');
  const token = typeof rawToken === 'string' && rawToken !== '' ? rawToken : undefined;
  const arnList = stringList(input['ResourceARNList'], 'ResourceARNList');
  if (arnList !== undefined) {
    if (arnList.length < 1 || arnList.length > 100) throw invalid('ResourceARNList: specify from 1 to 100 ARNs');
    if (perPage !== undefined || tagsPerPage !== undefined || token !== undefined) {
      throw invalid("You can't specify both ResourceARNList and the pagination parameters (ResourcesPerPage, TagsPerPage, PaginationToken)");
    }
  }
  // The token is bound to everything but itself.
  const q = createHash('sha256')
    .update(JSON.stringify([typeFilters, tags, perPage ?? null, tagsPerPage ?? null, arnList ?? null]))
    .digest('base64url')
    .slice(0, 16);
  const after = token === undefined ? undefined : decodeToken(token, q).after;
  const wanted = arnList === undefined ? undefined : new Set(arnList);
  const all = regionResources(ctx).filter(
    (r) =>
      r.tags.length > 0 &&
      (wanted === undefined || wanted.has(r.arn)) &&
      (typeFilters.length === 0 || matchesType(r.resourceType, typeFilters)) &&
      matchesTags(r, tags) &&
      (after === undefined || r.arn > after),
  );
  const limit = perPage ?? DEFAULT_RESOURCES_PER_PAGE;
  const page: SimTaggedResource[] = [];
  let tagCount = 0;
  for (const r of all) {
    if (page.length >= limit) break;
    const weight = Math.max(1, r.tags.length);
    if (tagsPerPage !== undefined && page.length > 0 && tagCount + weight > tagsPerPage) break;
    page.push(r);
    tagCount += weight;
  }
  const more = page.length < all.length && arnList === undefined;
  return {
    PaginationToken: more ? encodeToken({ after: page.at(-1)!.arn, q }) : '',
    ResourceTagMappingList: page.map((r) => ({ ResourceARN: r.arn, Tags: r.tags.map((t) => ({ Key: t.key, Value: t.value })) })),
  };
}

export const taggingService = jsonService({
  name: 'Resource Groups Tagging API',
  signingName: 'tagging',
  jsonVersion: '1.1',
  targetPrefix: 'ResourceGroupsTaggingAPI_20170126',
  version: '2017-01-26',
  rejectsAuthFailureRegions: true,
  faultErrors: {
    throttling: new ApiError('ThrottledException', 'Rate exceeded', 400),
    serverError: new ApiError('InternalServiceException', 'Internal service error', 500),
  },
  // Signing name `tagging`, IAM actions `tag:…`: the error names the IAM action.
  accessDenied: (ctx, action) => new ApiError('AccessDeniedException', notAuthorizedMessage(ctx.account.arn, `tag:${action}`), 400),
  operations: {
    GetResources: (ctx, input) => getResources(ctx, input),
  },
});
