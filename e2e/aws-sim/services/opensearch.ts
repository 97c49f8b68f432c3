/**
 * OpenSearch Service over REST-JSON (signing name `es`, API 2021-01-01), on the paths the installed
 * `@aws-sdk/client-opensearch` sends: ListDomainNames (`GET /2021-01-01/domain`, `?engineType=`), DescribeDomains
 * (`POST /2021-01-01/opensearch/domain-info`, 1–5 names; names that do not exist are left out, no error),
 * DescribeDomain (`GET /2021-01-01/opensearch/domain/{DomainName}`), DeleteDomain (`DELETE …/domain/{DomainName}`:
 * the domain answers `Deleted: true`, `Processing: true`, `DomainProcessingStatus: Deleting` and disappears after
 * `openSearchDeletionDelayMs`, wall clock, default 0 = by the next OpenSearch call) and ListTags
 * (`GET /2021-01-01/tags?arn=`).
 *
 * Errors as the model declares them: ResourceNotFoundException 409 (the SDK's schema: `httpError: 409`),
 * ValidationException 400, AccessDeniedException 403 (a denied action, naming `es:<Action>`), InternalException 500.
 * DomainStatus carries no creation time (none exists in the API); the simulator's `createdAt` is never answered.
 */
import { ApiError } from '../api-error';
import type { SimOpenSearchDomain, SimOpenSearchRegion } from '../opensearch-state';
import { DOMAIN_NAME_PATTERN } from '../opensearch-state';
import type { JsonObject } from '../protocols/json';
import type { CallContext } from '../protocols/protocol';
import { restJsonService } from '../protocols/rest-json';

declare module '../protocols/protocol' {
  interface SimOptions {
    /**
     * DeleteDomain: the domain answers `Deleted: true` for this many wall-clock ms, then is gone (default 0: by the
     * next OpenSearch call). Set it with `sim.configure({ openSearchDeletionDelayMs })`.
     */
    openSearchDeletionDelayMs?: number;
  }
}

/** DescribeDomains takes at most five names (the console and CLI document "up to five domains"). */
export const MAX_DESCRIBE_DOMAINS = 5;

const notFound = (name: string): ApiError => new ApiError('ResourceNotFoundException', `Domain not found: ${name}`, 409);
const invalid = (message: string): ApiError => new ApiError('ValidationException', message, 400);

/** Smithy's validation wording for a domain name that breaks the pattern. */
function checkName(name: string, member: string): void {
  if (!DOMAIN_NAME_PATTERN.test(name)) {
    throw invalid(`1 validation error detected: Value '${name}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z][a-z0-9\\-]+`);
  }
}

function regionOf(ctx: CallContext): SimOpenSearchRegion {
  const os = ctx.region.opensearch;
  os.settle();
  return os;
}

function engineTypeOf(d: SimOpenSearchDomain): 'OpenSearch' | 'Elasticsearch' {
  return d.engineVersion.startsWith('Elasticsearch_') ? 'Elasticsearch' : 'OpenSearch';
}

/** DomainStatus as the service answers it (member names from the SDK's schema). */
export function renderDomainStatus(d: SimOpenSearchDomain): JsonObject {
  const c = d.clusterConfig;
  const status = d.deleted ? 'Deleting' : d.status;
  const processing = d.deleted || ['Creating', 'Modifying', 'UpgradingEngineVersion', 'UpdatingServiceSoftware'].includes(status);
  return {
    DomainId: d.domainId,
    DomainName: d.domainName,
    ARN: d.arn,
    Created: status !== 'Creating',
    Deleted: d.deleted,
    ...(status === 'Creating' ? {} : { Endpoint: d.endpoint }),
    Processing: processing,
    UpgradeProcessing: status === 'UpgradingEngineVersion',
    EngineVersion: d.engineVersion,
    ClusterConfig: {
      InstanceType: c.instanceType,
      InstanceCount: c.instanceCount,
      DedicatedMasterEnabled: c.dedicatedMasterEnabled,
      ...(c.dedicatedMasterEnabled ? { DedicatedMasterType: c.dedicatedMasterType, DedicatedMasterCount: c.dedicatedMasterCount } : {}),
      ZoneAwarenessEnabled: c.zoneAwarenessEnabled,
      ...(c.zoneAwarenessEnabled ? { ZoneAwarenessConfig: { AvailabilityZoneCount: c.availabilityZoneCount } } : {}),
      WarmEnabled: c.warmEnabled,
      ...(c.warmEnabled ? { WarmType: c.warmType, WarmCount: c.warmCount } : {}),
      ColdStorageOptions: { Enabled: false },
      MultiAZWithStandbyEnabled: c.multiAZWithStandbyEnabled,
    },
    EBSOptions: d.ebs.enabled
      ? {
          EBSEnabled: true,
          VolumeType: d.ebs.volumeType,
          VolumeSize: d.ebs.volumeSize,
          ...(d.ebs.iops !== undefined ? { Iops: d.ebs.iops } : {}),
          ...(d.ebs.throughput !== undefined ? { Throughput: d.ebs.throughput } : {}),
        }
      : { EBSEnabled: false },
    SnapshotOptions: {},
    DomainProcessingStatus: status,
    ModifyingProperties: [],
  };
}

function domainOf(os: SimOpenSearchRegion, name: string): SimOpenSearchDomain {
  checkName(name, 'domainName');
  const d = os.domains.get(name);
  if (d === undefined) throw notFound(name);
  return d;
}

export const openSearchService = restJsonService({
  name: 'OpenSearch',
  signingName: 'es',
  version: '2021-01-01',
  // A region that is not enabled rejects every service's calls, not only EC2's.
  rejectsAuthFailureRegions: true,
  faultErrors: { serverError: new ApiError('InternalException', 'Internal error', 500) },
  operations: {
    ListDomainNames: {
      method: 'GET',
      path: '/2021-01-01/domain',
      handler: (ctx, { query }) => {
        const engineType = query.get('engineType');
        if (engineType !== null && engineType !== 'OpenSearch' && engineType !== 'Elasticsearch') {
          throw invalid(`1 validation error detected: Value '${engineType}' at 'engineType' failed to satisfy constraint: Member must satisfy enum value set: [OpenSearch, Elasticsearch]`);
        }
        const domains = [...regionOf(ctx).domains.values()]
          .filter((d) => engineType === null || engineTypeOf(d) === engineType)
          .sort((a, b) => (a.domainName < b.domainName ? -1 : 1));
        return { DomainNames: domains.map((d) => ({ DomainName: d.domainName, EngineType: engineTypeOf(d) })) };
      },
    },
    DescribeDomains: {
      method: 'POST',
      path: '/2021-01-01/opensearch/domain-info',
      handler: (ctx, { body }) => {
        const names = body['DomainNames'];
        if (!Array.isArray(names) || names.length === 0) throw invalid('DomainNames: at least one domain name is required');
        if (names.length > MAX_DESCRIBE_DOMAINS) throw invalid(`Please provide a maximum of ${MAX_DESCRIBE_DOMAINS} domain names`);
        const os = regionOf(ctx);
        const out: JsonObject[] = [];
        for (const n of names) {
          if (typeof n !== 'string') throw invalid('DomainNames: every member must be a string');
          checkName(n, 'domainNames');
          const d = os.domains.get(n);
          if (d !== undefined) out.push(renderDomainStatus(d));
        }
        return { DomainStatusList: out };
      },
    },
    DescribeDomain: {
      method: 'GET',
      path: '/2021-01-01/opensearch/domain/{DomainName}',
      handler: (ctx, { labels }) => ({ DomainStatus: renderDomainStatus(domainOf(regionOf(ctx), labels['DomainName'] ?? '')) }),
    },
    DeleteDomain: {
      method: 'DELETE',
      path: '/2021-01-01/opensearch/domain/{DomainName}',
      handler: (ctx, { labels }) => {
        const d = domainOf(regionOf(ctx), labels['DomainName'] ?? '');
        if (!d.deleted) {
          d.deleted = true;
          d.removesAtMs = Date.now() + (ctx.options.openSearchDeletionDelayMs ?? 0);
        }
        return { DomainStatus: renderDomainStatus(d) };
      },
    },
    ListTags: {
      method: 'GET',
      path: '/2021-01-01/tags',
      handler: (ctx, { query }) => {
        const arn = query.get('arn');
        if (arn === null || arn === '') throw invalid('1 validation error detected: Value null at \'arn\' failed to satisfy constraint: Member must not be null');
        const m = /^arn:aws[a-z-]*:es:([a-z0-9-]+):(\d{12}):domain\/([^/]+)$/.exec(arn);
        if (m === null) throw invalid(`Invalid ARN: ${arn}`);
        const os = regionOf(ctx);
        const d = m[1] === ctx.regionName && m[2] === ctx.account.accountId ? os.domains.get(m[3]!) : undefined;
        if (d === undefined) throw notFound(m[3]!);
        return { TagList: d.tags.map((t) => ({ Key: t.key, Value: t.value })) };
      },
    },
  },
});
