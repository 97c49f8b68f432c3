/**
 * Tags of a region's resources of some types in one paged listing (Resource Groups Tagging API GetResources), for
 * services whose Describe calls return no tags (ElastiCache, OpenSearch): a scan never reads tags one resource at a
 * time.
 *
 * GetResources lists resources that are tagged or were once tagged; one never tagged is absent, and one whose tags
 * were all removed may be listed with `Tags: []`. Both mean "no tags", so callers read a missing ARN as no tags.
 *
 * In a scan the kinds of a region share one listing (region-inventory.ts): the first kind to ask starts it, covering
 * its own types and the declared `tagTypes` of the region's kinds still running (a kind that finished without asking
 * found nothing to tag); a later kind whose types it covers reads it, one whose types it does not starts another for
 * the types still uncovered. Each kind gets only the ARNs of its own types. A failure (a denied `tag:GetResources`)
 * fails the kinds that asked, each with AWS's error, and no other.
 */
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { chunk, clampPageSize } from './ec2-common';
import type { HandlerContext } from './handler';
import { tagsToRecord } from './handler';
import { TAG_LISTINGS } from './region-inventory';

/** GetResources' bounds: ResourcesPerPage 1–100, ResourceTypeFilters up to 100 per request. */
const MAX_PER_PAGE = 100;
const MAX_TYPE_FILTERS = 100;

/**
 * Tags by resource ARN for `resourceTypeFilters` (`elasticache:cluster`, `elasticache:replicationgroup`, `es:domain`).
 * A resource without tags may be absent from the listing: absent means "no tags", since the listing covers every
 * tagged resource of those types. Throws AWS's error (a denied `tag:GetResources` fails the calling kind's task).
 * In a scan, from the region's shared listing (see the top of this file).
 */
export async function tagsByArn(ctx: HandlerContext, resourceTypeFilters: readonly string[]): Promise<Map<string, Record<string, string>>> {
  // No filter would list every tagged resource of the region: never what a kind asks for.
  if (resourceTypeFilters.length === 0) return new Map();
  return ctx.inventory ? sharedTagsByArn(ctx, resourceTypeFilters) : listTags(ctx, resourceTypeFilters);
}

/** One shared listing: the types it covers and its answer. */
interface TagListing {
  types: ReadonlySet<string>;
  tags: Promise<Map<string, Record<string, string>>>;
}

async function sharedTagsByArn(ctx: HandlerContext, wanted: readonly string[]): Promise<Map<string, Record<string, string>>> {
  const inventory = ctx.inventory!;
  const listings = inventory.memo<TagListing[]>(TAG_LISTINGS, () => []);
  const covered = new Set(listings.flatMap((l) => [...l.types]));
  const uncovered = wanted.filter((t) => !covered.has(t));
  if (uncovered.length > 0) {
    const types = new Set([...uncovered, ...inventory.pendingTagTypes().filter((t) => !covered.has(t))]);
    const tags = listTags(ctx, [...types]);
    void tags.catch(() => undefined); // every asker awaits it below: this only keeps a rejection from going unhandled
    listings.push({ types, tags });
  }
  const out = new Map<string, Record<string, string>>();
  for (const l of [...listings]) {
    if (!wanted.some((t) => l.types.has(t))) continue;
    const theirs = [...l.types];
    for (const [arn, tags] of await l.tags) {
      // Only this kind's ARNs. One of no type the listing asked for (a shape not recognized here) is kept: it is read
      // by its exact ARN, so it can never lend its tags to another resource.
      if (wanted.some((t) => arnIsOfType(arn, t)) || !theirs.some((t) => arnIsOfType(arn, t))) out.set(arn, tags);
    }
  }
  return out;
}

/**
 * Whether `arn` is of the tagging type `filter` (`service` or `service:type`): the ARN's service, and its resource
 * part starting with the type and `/` or `:` (`cluster:name`, `domain/name`); an S3 bucket's resource is its bare name.
 */
export function arnIsOfType(arn: string, filter: string): boolean {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return false;
  const [service, type] = filter.split(':', 2);
  if (parts[2] !== service) return false;
  if (type === undefined) return true;
  const resource = parts.slice(5).join(':');
  if (service === 's3' && type === 'bucket') return resource !== '' && !resource.includes('/');
  return resource.startsWith(`${type}/`) || resource.startsWith(`${type}:`);
}

/** GetResources for these types, every page. */
async function listTags(ctx: HandlerContext, resourceTypeFilters: readonly string[]): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  const client = ctx.client(ResourceGroupsTaggingAPIClient);
  for (const filters of chunk([...new Set(resourceTypeFilters)], MAX_TYPE_FILTERS)) {
    let token: string | undefined;
    do {
      const res = await client.send(
        new GetResourcesCommand({
          ResourceTypeFilters: filters,
          ResourcesPerPage: clampPageSize(ctx.pageSize, 1, MAX_PER_PAGE),
          ...(token !== undefined ? { PaginationToken: token } : {}),
        }),
        { abortSignal: ctx.signal },
      );
      for (const m of res.ResourceTagMappingList ?? []) {
        if (m.ResourceARN) out.set(m.ResourceARN, tagsToRecord(m.Tags));
      }
      // The last page answers an empty token. A token answered twice would loop forever, and stopping there would
      // drop tags (a protection tag among them): fail instead.
      const next = res.PaginationToken || undefined;
      if (next !== undefined && next === token) throw new Error('tag:GetResources answered the same PaginationToken twice');
      token = next;
    } while (token !== undefined);
  }
  return out;
}
