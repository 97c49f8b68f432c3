/**
 * THE ONLY place SDK clients are built. One factory per chosen profile; clients cached per (service, region).
 *
 * Cancelling: pass an AbortSignal per command — `client.send(cmd, { abortSignal })`; an aborted request rejects
 * with an `AbortError`, which toAppError maps to `cancelled`. Clients are not tied to a signal, so one cancelled
 * scan does not poison the cached client.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EC2Client } from '@aws-sdk/client-ec2';
import { AdaptiveRetryStrategy, DefaultRateLimiter } from '@smithy/core/retry';
import { IAMClient } from '@aws-sdk/client-iam';
import { PricingClient } from '@aws-sdk/client-pricing';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Logger, MiddlewareStack } from '@smithy/types';
import { loadProfileEndpointSettings } from './configured-endpoints';
import { getCredentialProvider } from './credentials';
import type { CredentialClientConfig } from './credentials';
import { REQUEST_HOST } from './errors';
import { costExplorerRegion, iamRegion, partitionOfRegion, pricingRegion } from './partition';
import { redactingLogger } from './redacting-logger';
import { ENVIRONMENT_PROFILE } from './types';
import type { MfaPrompt, Partition } from './types';

export interface ClientFactoryOptions {
  /** A profile name, or ENVIRONMENT_PROFILE for the environment credentials. */
  profile: string;
  /** Tests: explicit credentials instead of the profile's. */
  credentials?: AwsCredentialIdentityProvider;
  mfaPrompt?: MfaPrompt;
  /** Home region (STS, partition). Default: AWS_REGION, the profile's region, AWS_DEFAULT_REGION, us-east-1. */
  defaultRegion?: string;
  /** EC2 and Auto Scaling attempts per request (adaptive retry). Default 8. */
  maxAttemptsEc2?: number;
  /** Receives the SDK's own logs (every request and response), with secrets redacted. Default: none. */
  logger?: Logger;
}

/** An SDK v3 client class (`EC2Client`, `ElasticLoadBalancingV2Client`, …). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- SDK client constructors take each service's own config type
export type SdkClientClass<C> = new (config: any) => C;

/** Regional clients by service: what handlers get (through their context), from the one factory. */
export interface RegionClients {
  client<C extends Destroyable>(ctor: SdkClientClass<C>, region: string): C;
}

/**
 * A service's retry policy. EC2 and Auto Scaling: adaptive (client-side rate limiting for bulk describes and
 * deletes), with EC2's documented refill floor; everything else the SDK's standard retries until a kind declares
 * better. Endpoint settings are always the profile's, resolved here (the SDK ignores `profile` for endpoint_url).
 */
interface ServicePolicy {
  retry: 'adaptive' | 'standard';
  /** Adaptive only: the limiter's floor after a throttle (requests/s). */
  minFillRate?: number;
  /**
   * S3 only: path-style addressing (`http://host/bucket/key`) when the profile names an endpoint. An S3-compatible
   * endpoint (the simulator, MinIO, LocalStack) answers on one host; virtual-hosted addressing would put the bucket
   * in the host name. AWS's own endpoints keep the SDK's default.
   */
  pathStyleWithEndpoint?: boolean;
}

export interface ClientFactory extends RegionClients {
  readonly profile: string;
  readonly partition: Partition;
  readonly defaultRegion: string;
  ec2(region: string): EC2Client;
  /** Auto Scaling for `region` (launch configurations name AMIs too). Adaptive retries, as EC2. */
  autoScaling(region: string): AutoScalingClient;
  /** Always in the partition's Cost Explorer region (us-east-1 for `aws`). Standard retries: each call costs $0.01. */
  costExplorer(): CostExplorerClient;
  sts(region?: string): STSClient;
  iam(): IAMClient;
  pricing(): PricingClient;
  /**
   * What a scan's region workers need to build the same clients in their own threads (region-pool.ts): the
   * credentials stay here (SSO, MFA, role chains), the workers ask for them.
   */
  readonly replica: ClientReplica;
  /** Closes every client's sockets; the factory must not be used afterwards. */
  destroy(): void;
}

/** What rebuilds a factory's clients in another thread (its credentials stay with the original: see `replica`). */
export interface ClientReplica {
  profile: string;
  defaultRegion: string;
  credentials: AwsCredentialIdentityProvider;
  maxAttemptsEc2?: number;
}

export const DEFAULT_EC2_MAX_ATTEMPTS = 8;

/**
 * Floor of the adaptive limiter's sending rate after a throttle, per region client (requests/s). The SDK's default
 * floor (0.5/s) is meant for unknown services; EC2 documents its bucket refill rates (Describe 20/s, the heaviest
 * unfiltered Describes 10/s, mutating 5/s, with bursts of 50–100), so after a throttle the client never drops below
 * the slowest Describe refill instead of crawling at one request every two seconds.
 */
export const EC2_MIN_FILL_RATE = 10;

// SDK service ids (`serviceId` in each client's runtime config); they name the endpoint settings.
const SERVICE_IDS = { ec2: 'EC2', autoScaling: 'Auto Scaling', ce: 'Cost Explorer', sts: 'STS', iam: 'IAM', pricing: 'Pricing', sso: 'SSO' } as const;

export interface Destroyable {
  destroy(): void;
}

/** Policies by SDK service id (`config.serviceId`); services not listed get standard retries. */
const SERVICE_POLICIES: Record<string, ServicePolicy> = {
  EC2: { retry: 'adaptive', minFillRate: EC2_MIN_FILL_RATE },
  // A throttled read here fails the AMI task, so it gets EC2's patience; Auto Scaling publishes no refill rates, so
  // the SDK's default limiter floor is kept (a scan makes one paged DescribeLaunchConfigurations per region).
  'Auto Scaling': { retry: 'adaptive' },
  // GetMetricData allows 50 TPS per account and region: throttling is retried with the client-side limiter.
  CloudWatch: { retry: 'adaptive' },
  'Elastic Load Balancing v2': { retry: 'adaptive' },
  'Elastic Load Balancing': { retry: 'adaptive' },
  // Describe* calls of the database and analytics services are throttled per account and region (RDS documents
  // token buckets per API); a scan makes a few paged listings per region, so the client-side limiter is enough.
  RDS: { retry: 'adaptive' },
  ElastiCache: { retry: 'adaptive' },
  Redshift: { retry: 'adaptive' },
  OpenSearch: { retry: 'adaptive' },
  'Resource Groups Tagging API': { retry: 'adaptive' },
  // The housekeeping kinds: paged listings per region (per bucket for S3's multipart uploads).
  'CloudWatch Logs': { retry: 'adaptive' },
  S3: { retry: 'adaptive', pathStyleWithEndpoint: true },
  ECR: { retry: 'adaptive' },
  'Secrets Manager': { retry: 'adaptive' },
  KMS: { retry: 'adaptive' },
  EKS: { retry: 'adaptive' },
  SageMaker: { retry: 'adaptive' },
};

/** The SDK service id of a client class (read once from a throwaway instance: it names the endpoint settings). */
const serviceIds = new WeakMap<object, string>();
function serviceIdOf<C extends Destroyable>(ctor: SdkClientClass<C>): string {
  let id = serviceIds.get(ctor);
  if (id === undefined) {
    const probe = new ctor({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }) as C & { config?: { serviceId?: unknown } };
    id = typeof probe.config?.serviceId === 'string' ? probe.config.serviceId : ctor.name;
    probe.destroy();
    serviceIds.set(ctor, id);
  }
  return id;
}

/** Records the host a failed request went to, so network errors can name it. Touches no headers. */
function addRequestHostTag<I extends object, O extends object>(stack: MiddlewareStack<I, O>): void {
  stack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        const req = (args as { request?: { hostname?: unknown; port?: unknown } }).request;
        if (typeof err === 'object' && err !== null && typeof req?.hostname === 'string') {
          const host = typeof req.port === 'number' ? `${req.hostname}:${req.port}` : req.hostname;
          try {
            Object.defineProperty(err, REQUEST_HOST, { value: host, enumerable: false, configurable: true });
          } catch {
            // A frozen error just goes untagged.
          }
        }
        throw err;
      }
    },
    { step: 'finalizeRequest', name: 'cloudCleanerRequestHost', priority: 'low' },
  );
}

export async function createClientFactory(opts: ClientFactoryOptions): Promise<ClientFactory> {
  const isEnv = opts.profile === ENVIRONMENT_PROFILE;
  const settings = await loadProfileEndpointSettings(isEnv ? null : opts.profile);
  const env = process.env;
  const defaultRegion =
    opts.defaultRegion || env.AWS_REGION || settings.profileRegion || env.AWS_DEFAULT_REGION || 'us-east-1';
  const partition = partitionOfRegion(defaultRegion);
  // No logger unless asked: the SDK's logger middleware filters and logs every whole response at info level,
  // which at 100k resources costs seconds of CPU and megabytes of log.
  const logger = opts.logger ? redactingLogger(opts.logger) : undefined;

  const credentialClientConfig: CredentialClientConfig = { region: defaultRegion };
  // Inner STS (AssumeRole) and SSO clients of the SDK's providers must follow this profile's endpoints too.
  const innerEndpoint = settings.endpointFor(settings.usesSso ? SERVICE_IDS.sso : SERVICE_IDS.sts);
  if (innerEndpoint) credentialClientConfig.endpoint = innerEndpoint;
  else credentialClientConfig.ignoreConfiguredEndpointUrls = true;
  const credentials =
    opts.credentials ?? getCredentialProvider(opts.profile, { mfaPrompt: opts.mfaPrompt, clientConfig: credentialClientConfig });

  const base = (serviceId: string, region: string) => {
    const endpoint = settings.endpointFor(serviceId);
    return {
      region,
      credentials,
      ...(logger ? { logger } : {}),
      // `profile` makes the SDK read the rest of this profile's settings (defaults mode, retry, …).
      ...(isEnv ? {} : { profile: opts.profile }),
      ...(endpoint ? { endpoint } : { ignoreConfiguredEndpointUrls: true }),
    };
  };

  const cache = new Map<string, Destroyable>();
  function cached<T extends Destroyable>(key: string, build: () => T): T {
    const hit = cache.get(key);
    if (hit !== undefined) return hit as T;
    const client = build();
    cache.set(key, client);
    return client;
  }
  let destroyed = false;
  const alive = (): void => {
    if (destroyed) throw new Error('client factory used after destroy()');
  };

  function client<C extends Destroyable>(ctor: SdkClientClass<C>, region: string): C {
      alive();
      const serviceId = serviceIdOf(ctor);
      return cached(`${serviceId}|${region}`, () => {
        const policy = SERVICE_POLICIES[serviceId] ?? { retry: 'standard' };
        const maxAttempts = policy.retry === 'adaptive' ? (opts.maxAttemptsEc2 ?? DEFAULT_EC2_MAX_ATTEMPTS) : 3;
        const endpointed = settings.endpointFor(serviceId) !== undefined;
        const client = new ctor({
          ...base(serviceId, region),
          ...(policy.pathStyleWithEndpoint && endpointed ? { forcePathStyle: true } : {}),
          ...(policy.retry === 'adaptive'
            ? {
                retryMode: 'adaptive',
                maxAttempts,
                // A number, not a provider: with options, a provider function silently falls back to 3 attempts.
                retryStrategy: new AdaptiveRetryStrategy(maxAttempts, {
                  ...(policy.minFillRate !== undefined ? { rateLimiter: new DefaultRateLimiter({ minFillRate: policy.minFillRate }) } : {}),
                }),
              }
            : { retryMode: 'standard', maxAttempts }),
        }) as C & { middlewareStack?: MiddlewareStack<object, object> };
        // Every SDK client has a middleware stack; a kind's own client stub (tests) may not.
        if (client.middlewareStack) addRequestHostTag(client.middlewareStack);
        return client;
      });
  }

  return {
    profile: opts.profile,
    partition,
    defaultRegion,
    client,
    replica: { profile: opts.profile, defaultRegion, credentials, ...(opts.maxAttemptsEc2 !== undefined ? { maxAttemptsEc2: opts.maxAttemptsEc2 } : {}) },
    ec2: (region) => client(EC2Client, region),
    autoScaling: (region) => client(AutoScalingClient, region),
    costExplorer() {
      alive();
      const region = costExplorerRegion(partition);
      return cached(`ce|${region}`, () => {
        // Standard, not adaptive: every request (and retry) costs $0.01.
        const client = new CostExplorerClient({ ...base(SERVICE_IDS.ce, region), retryMode: 'standard', maxAttempts: 3 });
        addRequestHostTag(client.middlewareStack);
        return client;
      });
    },
    sts(region) {
      alive();
      const r = region ?? defaultRegion;
      return cached(`sts|${r}`, () => {
        const client = new STSClient({ ...base(SERVICE_IDS.sts, r), retryMode: 'standard' });
        addRequestHostTag(client.middlewareStack);
        return client;
      });
    },
    iam() {
      alive();
      const region = iamRegion(partition);
      return cached(`iam|${region}`, () => {
        const client = new IAMClient({ ...base(SERVICE_IDS.iam, region), retryMode: 'standard' });
        addRequestHostTag(client.middlewareStack);
        return client;
      });
    },
    pricing() {
      alive();
      const region = pricingRegion(partition);
      return cached(`pricing|${region}`, () => {
        const client = new PricingClient({ ...base(SERVICE_IDS.pricing, region), retryMode: 'standard' });
        addRequestHostTag(client.middlewareStack);
        return client;
      });
    },
    destroy() {
      destroyed = true;
      for (const client of cache.values()) client.destroy();
      cache.clear();
    },
  };
}
