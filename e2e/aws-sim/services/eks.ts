/**
 * Amazon EKS over REST-JSON (signing name `eks`, API 2017-11-01), on the paths the installed `@aws-sdk/client-eks`
 * sends: ListClusters (`GET /clusters`), DescribeCluster (`GET /clusters/{name}`), ListNodegroups
 * (`GET /clusters/{clusterName}/node-groups`), ListFargateProfiles (`GET /clusters/{clusterName}/fargate-profiles`),
 * DescribeClusterVersions (`GET /cluster-versions`) and DeleteCluster (`DELETE /clusters/{name}`).
 *
 * - Paging: `maxResults` 1–100 (default 100) and an opaque `nextToken` bound to the operation; out of range →
 *   InvalidParameterException 400.
 * - DeleteCluster: the cluster answers `DELETING` and disappears after `eksDeletionDelayMs` (wall clock, default 0: by
 *   the next EKS call). Node groups or Fargate profiles attached → ResourceInUseException 409; deletion protection on →
 *   InvalidRequestException 400 (EKS refuses; nothing changes); unknown → ResourceNotFoundException 404.
 * - DescribeClusterVersions answers versions in standard or extended support; `includeAll=true` adds unsupported ones;
 *   `clusterVersions` (repeated) narrows to those.
 * Timestamps are epoch seconds, as the SDK's REST-JSON deserializer reads them.
 */
import { ApiError } from '../api-error';
import type { SimEksCluster, SimEksRegion } from '../eks-state';
import type { JsonObject } from '../protocols/json';
import type { CallContext } from '../protocols/protocol';
import { restJsonService } from '../protocols/rest-json';

declare module '../protocols/protocol' {
  interface SimOptions {
    /** DeleteCluster: the cluster answers DELETING for this many wall-clock ms, then is gone (default 0). */
    eksDeletionDelayMs?: number;
  }
}

const invalidParam = (message: string): ApiError => new ApiError('InvalidParameterException', message, 400);
const notFound = (name: string): ApiError => new ApiError('ResourceNotFoundException', `No cluster found for name: ${name}.`, 404);
const epoch = (d: Date): number => d.getTime() / 1000;

function eksOf(ctx: CallContext): SimEksRegion {
  const eks = ctx.region.eks;
  eks.settle();
  return eks;
}

function paged<T>(op: string, items: readonly T[], query: URLSearchParams): { items: T[]; nextToken?: string } {
  const raw = query.get('maxResults');
  const max = raw === null ? 100 : Number(raw);
  if (!Number.isInteger(max) || max < 1 || max > 100) throw invalidParam(`maxResults must be between 1 and 100; got ${raw ?? ''}`);
  const token = query.get('nextToken');
  let start = 0;
  if (token !== null && token !== '') {
    const m = /^([A-Za-z]+):(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (m === null || m[1] !== op) throw invalidParam('The nextToken is not valid');
    start = Number(m[2]);
  }
  const slice = items.slice(start, start + max);
  const next = start + slice.length;
  return { items: slice, ...(next < items.length ? { nextToken: Buffer.from(`${op}:${next}`).toString('base64url') } : {}) };
}

function clusterOf(ctx: CallContext, name: string): SimEksCluster {
  const c = eksOf(ctx).clusters.get(name);
  if (c === undefined) throw notFound(name);
  return c;
}

export function renderCluster(c: SimEksCluster): JsonObject {
  return {
    name: c.name,
    arn: c.arn,
    createdAt: epoch(c.createdAt),
    version: c.version,
    endpoint: `https://${c.name.toLowerCase()}.sim.eks.amazonaws.com`,
    roleArn: `arn:aws:iam::${c.arn.split(':')[4] ?? ''}:role/eks-cluster-role`,
    status: c.status,
    platformVersion: 'eks.1',
    tags: Object.fromEntries(c.tags.map((t) => [t.key, t.value])),
    ...(c.supportType !== null ? { upgradePolicy: { supportType: c.supportType } } : {}),
    ...(c.autoMode ? { computeConfig: { enabled: true, nodePools: ['general-purpose', 'system'] } } : {}),
    ...(c.tier !== null ? { controlPlaneScalingConfig: { tier: c.tier } } : {}),
    deletionProtection: c.deletionProtection,
  };
}

export const eksService = restJsonService({
  name: 'EKS',
  signingName: 'eks',
  version: '2017-11-01',
  rejectsAuthFailureRegions: true,
  faultErrors: { serverError: new ApiError('ServerException', 'An internal error has occurred', 500) },
  operations: {
    ListClusters: {
      method: 'GET',
      path: '/clusters',
      handler: (ctx, { query }) => {
        const names = [...eksOf(ctx).clusters.keys()].sort();
        const p = paged('ListClusters', names, query);
        return { clusters: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
      },
    },
    DescribeCluster: {
      method: 'GET',
      path: '/clusters/{name}',
      handler: (ctx, { labels }) => ({ cluster: renderCluster(clusterOf(ctx, labels['name'] ?? '')) }),
    },
    ListNodegroups: {
      method: 'GET',
      path: '/clusters/{clusterName}/node-groups',
      handler: (ctx, { labels, query }) => {
        const p = paged('ListNodegroups', [...clusterOf(ctx, labels['clusterName'] ?? '').nodegroups].sort(), query);
        return { nodegroups: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
      },
    },
    ListFargateProfiles: {
      method: 'GET',
      path: '/clusters/{clusterName}/fargate-profiles',
      handler: (ctx, { labels, query }) => {
        const p = paged('ListFargateProfiles', [...clusterOf(ctx, labels['clusterName'] ?? '').fargateProfiles].sort(), query);
        return { fargateProfileNames: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
      },
    },
    DescribeClusterVersions: {
      method: 'GET',
      path: '/cluster-versions',
      handler: (ctx, { query }) => {
        const only = query.getAll('clusterVersions');
        const all = query.get('includeAll') === 'true';
        const versions = eksOf(ctx).versions.filter((v) => (all || v.status !== 'UNSUPPORTED') && (only.length === 0 || only.includes(v.version)));
        const p = paged('DescribeClusterVersions', versions, query);
        return {
          clusterVersions: p.items.map((v) => ({
            clusterVersion: v.version,
            clusterType: 'eks',
            defaultPlatformVersion: 'eks.1',
            defaultVersion: false,
            endOfStandardSupportDate: epoch(v.endOfStandardSupport),
            endOfExtendedSupportDate: epoch(v.endOfExtendedSupport),
            status: v.status === 'STANDARD_SUPPORT' ? 'standard-support' : v.status === 'EXTENDED_SUPPORT' ? 'extended-support' : 'unsupported',
            versionStatus: v.status,
          })),
          ...(p.nextToken ? { nextToken: p.nextToken } : {}),
        };
      },
    },
    DeleteCluster: {
      method: 'DELETE',
      path: '/clusters/{name}',
      handler: (ctx, { labels }) => {
        const c = clusterOf(ctx, labels['name'] ?? '');
        if (c.deletionProtection) {
          throw new ApiError('InvalidRequestException', `Cluster ${c.name} has deletion protection enabled. Disable deletion protection before deleting the cluster.`, 400);
        }
        if (c.nodegroups.length > 0) throw new ApiError('ResourceInUseException', `Cluster has nodegroups attached`, 409);
        if (c.fargateProfiles.length > 0) throw new ApiError('ResourceInUseException', `Cluster has fargate profiles attached`, 409);
        if (c.status !== 'DELETING') {
          c.status = 'DELETING';
          c.removesAtMs = Date.now() + (ctx.options.eksDeletionDelayMs ?? 0);
        }
        return { cluster: renderCluster(c) };
      },
    },
  },
});
