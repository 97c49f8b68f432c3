/**
 * Idle SageMaker real-time endpoints (AWS-FACTS-BEYOND-EC2.md, kind 10). An endpoint bills every hour for each
 * instance of each instance-backed production variant, invoked or not; serverless variants bill per use.
 *
 * Idle: `InService`, older than the lookback (the engine's window, setting metricsLookbackDays), and `AWS/SageMaker`
 * `Invocations` (daily Sum, dimensions EndpointName + VariantName, every variant of the endpoint) shows no invocation on
 * any day. Invocations is declared **sparse**: it counts InvokeEndpoint requests and AWS documents no continuous
 * publication of zeros (the invocation metrics are "from calls to InvokeEndpoint"); public idle-endpoint policies read a
 * missing value as 0 (cloud-custodian issue #10853: `missing-value: 0` on AWS/SageMaker Invocations). The engine's
 * rule therefore applies: a missing day counts as 0 only when the endpoint is older than the window and CloudWatch lists
 * `AWS/SageMaker Invocations` with dimensions {EndpointName, VariantName} in the region (one ListMetrics); otherwise
 * it is unknown, never idle.
 *
 * Not judged (never called idle):
 *  - endpoints with a variant that hosts inference components (no ModelName in its configuration): their invocations
 *    are published per inference component, which this kind does not read;
 *  - endpoints whose variants are all serverless without provisioned concurrency: they bill per invocation, so one
 *    that is never invoked costs nothing (reported at $0, not waste).
 *
 * Calls: ListEndpoints (paged, MaxResults ≤ 100, StatusEquals InService) carries no variants or instance types, and
 * SageMaker has no batch describe, so a scan makes **DescribeEndpoint per InService endpoint and DescribeEndpointConfig
 * per distinct configuration**, each with concurrency ≤ 8. (ListMetrics could give EndpointName/VariantName sets, but
 * only for metrics with data in the last two weeks — exactly the idle endpoints would be missing — and it gives no
 * instance type or count, which the cost needs.) Tags: one paged `tag:GetResources` per region for
 * `sagemaker:endpoint` and `sagemaker:endpoint-config`; metrics: the engine's batched GetMetricData.
 *
 * Cost = Σ instance variants: CurrentInstanceCount × 730 h × the `Host:<instance type>` hour price; serverless variants
 * without provisioned concurrency $0; provisioned concurrency is billed but not priced here (cost unknown). Actions:
 * sagemaker-endpoint-actions.ts (delete the endpoint, then its configuration when no other endpoint uses it).
 */
import { DescribeEndpointConfigCommand, SageMakerClient, type DescribeEndpointConfigOutput, type DescribeEndpointOutput } from '@aws-sdk/client-sagemaker';
import { metricsOf } from '../metrics/context';
import type { Activity, MetricSpec } from '../metrics/types';
import { price } from '../pricing/price-key';
import { SAGEMAKER_ENDPOINT_PRICE_KEYS, sageMakerHostingHourKey } from '../pricing/keys/sagemaker';
import { HOURS_PER_MONTH, type RegionPrices } from '../pricing/types';
import { createLimiter } from '../scan/limiter';
import { protectionByTag, roundCost, usd } from './handler';
import type { Finding, HandlerContext, ItemParts, RecheckResult, ResourceHandler } from './handler';
import { activityFields } from './metric-verdict';
import { partProtection, storedString, storedTags } from './parts';
import { ENDPOINT_ACTIONS, deleteEndpoint, describeEndpoint, endpointPages, isConfigNotFound } from './sagemaker-endpoint-actions';
import { tagsByArn } from './tagging';

export const SAGEMAKER_ENDPOINT_TYPE = 'sagemaker:endpoint';
export const SAGEMAKER_ENDPOINT_CONFIG_TYPE = 'sagemaker:endpoint-config';
/** Cost Explorer's "Amazon SageMaker" (discovery/service-catalog.ts). */
export const SERVICE_SAGEMAKER = 'AmazonSageMaker';
export const INVOCATIONS: MetricSpec = { namespace: 'AWS/SageMaker', metricName: 'Invocations', stat: 'Sum', sparse: true, unit: 'invocations' };
/** Per-endpoint Describe calls in flight at once. */
export const DESCRIBE_CONCURRENCY = 8;

export interface VariantFacts {
  name: string;
  /** Null: serverless, or its configuration could not be read. */
  instanceType: string | null;
  instanceCount: number;
  serverless: { provisionedConcurrency: number } | null;
  inferenceComponents: boolean;
}

export interface EndpointFacts {
  name: string;
  arn: string;
  status: string;
  createdAt: Date | null;
  configName: string | null;
  configArn: string | null;
  /** False: DescribeEndpointConfig answered that the configuration no longer exists. */
  configFound: boolean;
  variants: VariantFacts[];
}

export function endpointFacts(e: DescribeEndpointOutput, c: DescribeEndpointConfigOutput | null): EndpointFacts {
  const byName = new Map((c?.ProductionVariants ?? []).map((v) => [v.VariantName ?? '', v]));
  return {
    name: e.EndpointName ?? '',
    arn: e.EndpointArn ?? '',
    status: e.EndpointStatus ?? 'unknown',
    createdAt: e.CreationTime ? new Date(e.CreationTime) : null,
    configName: e.EndpointConfigName ?? null,
    configArn: c?.EndpointConfigArn ?? null,
    configFound: c !== null,
    variants: (e.ProductionVariants ?? []).map((v) => {
      const cv = byName.get(v.VariantName ?? '');
      const serverless = v.CurrentServerlessConfig ?? cv?.ServerlessConfig;
      return {
        name: v.VariantName ?? '',
        instanceType: serverless ? null : (v.InstancePools?.[0]?.InstanceType ?? cv?.InstanceType ?? null),
        instanceCount: serverless ? 0 : (v.CurrentInstanceCount ?? 0),
        serverless: serverless ? { provisionedConcurrency: serverless.ProvisionedConcurrency ?? 0 } : null,
        inferenceComponents: cv !== undefined && !cv.ModelName && !serverless,
      };
    }),
  };
}

// ---- cost ----

export function endpointCost(f: EndpointFacts, prices: RegionPrices | null, region: string): { monthlyCost: number | null; costBasis: string } {
  const terms: string[] = [];
  const missing: string[] = [];
  let total = 0;
  for (const v of f.variants) {
    if (v.serverless !== null) {
      if (v.serverless.provisionedConcurrency > 0) missing.push(`provisioned concurrency ${v.serverless.provisionedConcurrency} of serverless variant ${v.name}`);
      else terms.push(`serverless variant ${v.name}: $0 (billed per invocation)`);
      continue;
    }
    if (v.instanceCount === 0) {
      terms.push(`variant ${v.name}: 0 instances`);
      continue;
    }
    if (v.instanceType === null) {
      missing.push(`the instance type of variant ${v.name} (its endpoint configuration ${f.configName ?? ''} could not be read)`);
      continue;
    }
    const key = sageMakerHostingHourKey(v.instanceType);
    const p = key !== undefined && prices !== null ? price(prices, key) : null;
    if (p === null) {
      missing.push(`${v.instanceType} hosting hours`);
      continue;
    }
    total += v.instanceCount * HOURS_PER_MONTH * p;
    terms.push(`${v.instanceCount} × ${v.instanceType} (variant ${v.name}) × ${HOURS_PER_MONTH} h × ${usd(p)}`);
  }
  if (missing.length > 0) return { monthlyCost: null, costBasis: `Cost unknown: no SageMaker price for ${missing.join(', ')} (${region})` };
  return { monthlyCost: roundCost(total), costBasis: `${terms.join(' + ')} (${region})` };
}

// ---- verdict ----

/** Why an endpoint is not judged by its invocations, or null when it is. */
function notJudged(f: EndpointFacts): string | null {
  if (f.status !== 'InService') return `Not judged: the endpoint is ${f.status}`;
  if (f.variants.length === 0) return 'Not judged: the endpoint reports no production variants';
  if (f.variants.some((v) => v.inferenceComponents)) {
    return 'Not judged: it hosts inference components, whose invocations CloudWatch publishes per inference component (not read by this kind)';
  }
  if (f.variants.every((v) => v.serverless !== null && v.serverless.provisionedConcurrency === 0)) {
    return 'Not judged: serverless, billed per invocation — an endpoint without invocations costs nothing';
  }
  return null;
}

async function judge(ctx: HandlerContext, list: readonly EndpointFacts[]): Promise<(Activity | null)[]> {
  const judged = list.filter((f) => notJudged(f) === null);
  const verdicts =
    judged.length === 0
      ? []
      : await metricsOf(ctx).activity(
          judged.map((f) => ({
            createdAt: f.createdAt,
            queries: f.variants.map((v) => ({ spec: INVOCATIONS, dimensions: { EndpointName: f.name, VariantName: v.name } })),
            activity: 'invocations',
          })),
        );
  const at = new Map(judged.map((f, i) => [f, verdicts[i] ?? null]));
  return list.map((f) => at.get(f) ?? null);
}

export function toEndpointFinding(ctx: HandlerContext, f: EndpointFacts, a: Activity | null, tags: Map<string, Record<string, string>>): Finding {
  const own = tags.get(f.arn) ?? {};
  const protectedReason = protectionByTag(own, ctx.settings.protectionTagKey);
  const cost = endpointCost(f, ctx.prices, ctx.region);
  const skip = notJudged(f);
  const v = skip === null && a !== null ? activityFields(a) : { unused: false, unusedReason: null, unusedSince: null, activity: skip ?? 'Not judged' };
  return {
    resourceType: SAGEMAKER_ENDPOINT_TYPE,
    resourceId: f.name,
    region: ctx.region,
    name: f.name,
    state: f.status,
    tags: own,
    createdAt: f.createdAt?.toISOString() ?? null,
    unused: v.unused,
    unusedReason: v.unusedReason,
    unusedSince: v.unusedSince,
    monthlyCost: cost.monthlyCost,
    costBasis: cost.costBasis,
    protected: protectedReason !== null,
    protectedReason,
    details: {
      arn: f.arn,
      endpointConfigName: f.configName,
      endpointConfigArn: f.configArn,
      endpointConfigTags: f.configArn === null ? null : (tags.get(f.configArn) ?? {}),
      variants: f.variants.map((x) =>
        x.serverless !== null
          ? `${x.name}: serverless${x.serverless.provisionedConcurrency > 0 ? `, provisioned concurrency ${x.serverless.provisionedConcurrency}` : ''}`
          : `${x.name}: ${x.instanceCount} × ${x.instanceType ?? 'unknown instance type'}${x.inferenceComponents ? ' (inference components)' : ''}`,
      ).join('; '),
      activity: v.activity,
      ...(a !== null ? { metrics: a } : {}),
    },
  };
}

// ---- reading AWS ----

async function describeConfig(ctx: HandlerContext, name: string): Promise<DescribeEndpointConfigOutput | null> {
  try {
    return await ctx.client(SageMakerClient).send(new DescribeEndpointConfigCommand({ EndpointConfigName: name }), { abortSignal: ctx.signal });
  } catch (err) {
    if (isConfigNotFound(err)) return null;
    throw err;
  }
}

/** Facts of the named endpoints: DescribeEndpoint each, DescribeEndpointConfig per distinct configuration (≤ 8 at once). */
async function factsOf(ctx: HandlerContext, names: readonly string[], configs: Map<string, Promise<DescribeEndpointConfigOutput | null>>): Promise<EndpointFacts[]> {
  const limit = createLimiter(DESCRIBE_CONCURRENCY);
  const described = (await Promise.all(names.map((n) => limit(() => describeEndpoint(ctx, n))))).filter((e): e is DescribeEndpointOutput => e !== null);
  const configOf = (name: string): Promise<DescribeEndpointConfigOutput | null> => {
    let p = configs.get(name);
    if (p === undefined) {
      p = limit(() => describeConfig(ctx, name));
      configs.set(name, p);
    }
    return p;
  };
  return Promise.all(described.map(async (e) => endpointFacts(e, e.EndpointConfigName ? await configOf(e.EndpointConfigName) : null)));
}

export async function endpointNow(ctx: HandlerContext, name: string): Promise<{ facts: EndpointFacts; activity: Activity | null } | null> {
  const [f] = await factsOf(ctx, [name], new Map());
  if (f === undefined) return null;
  const [a] = await judge(ctx, [f]);
  return { facts: f, activity: a ?? null };
}

const TAG_TYPES = [SAGEMAKER_ENDPOINT_TYPE, SAGEMAKER_ENDPOINT_CONFIG_TYPE];

export const idleSageMakerEndpointsHandler: ResourceHandler = {
  type: SAGEMAKER_ENDPOINT_TYPE,
  label: 'Idle SageMaker endpoints',
  noun: 'SageMaker endpoint',
  consoleUrl: 'https://{host}/sagemaker/home?region={region}#/endpoints/{id}',
  iam: {
    scan: ['sagemaker:ListEndpoints', 'sagemaker:DescribeEndpoint', 'sagemaker:DescribeEndpointConfig', 'tag:GetResources', 'cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
    action: [...new Set(ENDPOINT_ACTIONS.flatMap((a) => a.iam))],
  },
  actionLabel: 'Delete',
  actions: ENDPOINT_ACTIONS,
  verification: {
    method: 'permission-check',
    description: 'SageMaker has no DryRun: each endpoint is re-checked (status, its latest invocations, tags) and IAM policy simulation says whether you may delete it',
  },
  priceKeys: SAGEMAKER_ENDPOINT_PRICE_KEYS,
  detailFields: [
    { key: 'activity', label: 'Invocations' },
    { key: 'variants', label: 'Production variants' },
    { key: 'endpointConfigName', label: 'Endpoint configuration', emptyText: 'Unknown' },
    { key: 'arn', label: 'ARN' },
  ],
  category: 'Machine Learning',
  serviceCodes: [SERVICE_SAGEMAKER],
  billingServiceCode: SERVICE_SAGEMAKER,
  deleteOrder: 76,
  tagTypes: TAG_TYPES,

  async *scan(ctx) {
    let tags: Promise<Map<string, Record<string, string>>> | undefined;
    const configs = new Map<string, Promise<DescribeEndpointConfigOutput | null>>();
    for await (const page of endpointPages(ctx, true)) {
      ctx.signal?.throwIfAborted();
      const names = page.filter((e) => e.EndpointName && e.EndpointStatus === 'InService').map((e) => e.EndpointName!);
      if (names.length === 0) continue;
      if (tags === undefined) {
        tags = tagsByArn(ctx, TAG_TYPES);
        void tags.catch(() => undefined); // awaited below: this only keeps an early rejection from going unhandled
      }
      const list = await factsOf(ctx, names, configs);
      const [byArn, verdicts] = await Promise.all([tags, judge(ctx, list)]);
      yield list.map((f, i) => toEndpointFinding(ctx, f, verdicts[i] ?? null, byArn));
    }
  },

  async recheck(ctx, stored): Promise<RecheckResult> {
    const now = await endpointNow(ctx, stored.resourceId);
    if (now === null) return { status: 'gone', reason: 'The endpoint no longer exists' };
    const tags = await tagsByArn(ctx, TAG_TYPES);
    const current = toEndpointFinding(ctx, now.facts, now.activity, tags);
    if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
    if (now.facts.status !== 'InService') return { status: 'changed', reason: `The endpoint is ${now.facts.status}, no longer InService`, current };
    if (stored.details['endpointConfigName'] !== current.details['endpointConfigName']) {
      return { status: 'changed', reason: `Its endpoint configuration changed to ${String(current.details['endpointConfigName'])}`, current };
    }
    if (stored.unused && !current.unused) return { status: 'changed', reason: `No longer idle: ${String(current.details['activity'])}`, current };
    return { status: 'unchanged', current };
  },

  delete: (ctx, stored, { dryRun }) => deleteEndpoint(ctx, stored, dryRun),

  parts(finding, settings): ItemParts {
    const own = { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis };
    const configName = storedString(finding.details['endpointConfigName']);
    if (configName === null) return { own, parts: [] };
    const tags = storedTags(finding.details['endpointConfigTags']);
    const protection = partProtection(SAGEMAKER_ENDPOINT_CONFIG_TYPE, configName, tags, settings);
    return {
      own,
      parts: [
        {
          resourceType: SAGEMAKER_ENDPOINT_CONFIG_TYPE,
          resourceId: configName,
          // A protected configuration stays: the endpoint is still deleted.
          fate: protection.protected ? 'kept' : 'deleted',
          note: protection.protected
            ? `Kept: ${protection.protectedReason ?? 'protected'}`
            : 'Deleted after the endpoint, only when no other endpoint uses it (checked at the delete); free',
          monthlyCost: 0,
          costBasis: 'Endpoint configurations are free',
          tags,
          protected: protection.protected,
          protectedReason: protection.protectedReason,
          addable: false,
        },
      ],
    };
  },
};
