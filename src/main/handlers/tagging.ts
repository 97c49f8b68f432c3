/**
 * Tags of a region's resources of some types in one paged listing (Resource Groups Tagging API GetResources), for
 * services whose Describe calls return no tags (ElastiCache, OpenSearch): a scan never reads tags one resource at a
 * time. Placeholder: implemented with the tagging API's simulator.
 */
import type { HandlerContext } from './handler';

/**
 * Tags by resource ARN for `resourceTypeFilters` (`elasticache:cluster`, `elasticache:replicationgroup`, `es:domain`).
 * A resource without tags may be absent from the listing: absent means "no tags", since the listing covers every
 * tagged resource of those types. Throws AWS's error (a denied `tag:GetResources` fails the calling kind's task).
 */
export async function tagsByArn(_ctx: HandlerContext, _resourceTypeFilters: readonly string[]): Promise<Map<string, Record<string, string>>> {
  return Promise.resolve(new Map());
}
