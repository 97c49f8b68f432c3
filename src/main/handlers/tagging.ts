/**
 * Tags of a region's resources of some types in one paged listing (Resource Groups Tagging API GetResources), for
 * services whose Describe calls return no tags (ElastiCache, OpenSearch): a scan never reads tags one resource at a
 * time.
 *
 * GetResources lists resources that are tagged or were once tagged; one never tagged is absent, and one whose tags
 * were all removed may be listed with `Tags: []`. Both mean "no tags", so callers read a missing ARN as no tags.
 */
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { chunk, clampPageSize } from './ec2-common';
import type { HandlerContext } from './handler';
import { tagsToRecord } from './handler';

/** GetResources' bounds: ResourcesPerPage 1–100, ResourceTypeFilters up to 100 per request. */
const MAX_PER_PAGE = 100;
const MAX_TYPE_FILTERS = 100;

/**
 * Tags by resource ARN for `resourceTypeFilters` (`elasticache:cluster`, `elasticache:replicationgroup`, `es:domain`).
 * A resource without tags may be absent from the listing: absent means "no tags", since the listing covers every
 * tagged resource of those types. Throws AWS's error (a denied `tag:GetResources` fails the calling kind's task).
 */
export async function tagsByArn(ctx: HandlerContext, resourceTypeFilters: readonly string[]): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  // No filter would list every tagged resource of the region: never what a kind asks for.
  if (resourceTypeFilters.length === 0) return out;
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
