/**
 * SageMaker in the simulated account: each region's endpoints, endpoint configurations and notebook instances
 * (`sim.state.region('eu-west-1').sagemaker`), the fixture section `resources[region].sagemaker` and its loader.
 * services/sagemaker.ts answers the JSON 1.1 API from it; `taggedResources()` feeds the Resource Groups Tagging API
 * (`sagemaker:endpoint`, `sagemaker:endpoint-config`, `sagemaker:notebook-instance`).
 *
 * ARNs lower-case the name, as SageMaker writes them (`arn:aws:sagemaker:<region>:<account>:endpoint/<name>`).
 * A notebook stop is modelled with a wall-clock delay (`sageMakerStopDelayMs`): InService → Stopping → Stopped.
 */
import type { FixtureTags } from './fixture';
import type { SimTag, SimTaggedResource } from './state';

export type SimEndpointStatus = 'OutOfService' | 'Creating' | 'Updating' | 'SystemUpdating' | 'RollingBack' | 'InService' | 'Deleting' | 'Failed' | 'UpdateRollbackFailed';
export type SimNotebookStatus = 'Pending' | 'InService' | 'Stopping' | 'Stopped' | 'Failed' | 'Deleting' | 'Updating';

export interface SimServerless {
  memorySizeInMB: number;
  maxConcurrency: number;
  provisionedConcurrency?: number;
}

/** A production variant as the endpoint configuration declares it. */
export interface SimConfigVariant {
  variantName: string;
  /** Absent: the variant hosts inference components (no model of its own). */
  modelName?: string;
  instanceType?: string;
  initialInstanceCount?: number;
  serverless?: SimServerless;
}

export interface SimEndpointConfig {
  name: string;
  arn: string;
  createdAt: Date;
  variants: SimConfigVariant[];
  tags: SimTag[];
}

/** A production variant as the endpoint runs it now (DescribeEndpoint's ProductionVariantSummary). */
export interface SimEndpointVariant {
  variantName: string;
  currentInstanceCount?: number;
  serverless?: SimServerless;
}

export interface SimEndpoint {
  name: string;
  arn: string;
  configName: string;
  status: SimEndpointStatus;
  createdAt: Date;
  lastModified: Date;
  variants: SimEndpointVariant[];
  tags: SimTag[];
}

export interface SimNotebook {
  name: string;
  arn: string;
  status: SimNotebookStatus;
  instanceType: string;
  createdAt: Date;
  lastModified: Date;
  volumeSizeInGB: number;
  /** Wall-clock ms at which a Stopping notebook is Stopped. */
  stopsAtMs?: number;
  tags: SimTag[];
}

export interface SageMakerVariantFixture {
  name?: string; // default 'AllTraffic'
  /** null: hosts inference components (no model). Default `<endpoint>-model`. */
  model?: string | null;
  instanceType?: string; // default 'ml.m5.large' (unless serverless)
  instanceCount?: number; // default 1
  serverless?: SimServerless;
}

export interface SageMakerEndpointFixture {
  name: string;
  /** The endpoint configuration's name (default `<name>-config`); endpoints may share one. */
  config?: string;
  /** The configuration's variants, when this fixture creates it (default: one ml.m5.large variant). */
  variants?: SageMakerVariantFixture[];
  /** Tags of the configuration, when this fixture creates it. */
  configTags?: FixtureTags;
  status?: SimEndpointStatus; // default 'InService'
  createdDaysAgo?: number; // default 100
  tags?: FixtureTags;
}

export interface SageMakerNotebookFixture {
  name: string;
  instanceType?: string; // default 'ml.t3.medium'
  status?: SimNotebookStatus; // default 'InService'
  createdDaysAgo?: number; // default 100
  /** Default: createdDaysAgo. */
  lastModifiedDaysAgo?: number;
  volumeSizeInGB?: number; // default 5
  tags?: FixtureTags;
}

/** The fixture section `resources[region].sagemaker`. */
export interface SageMakerRegionFixture {
  endpoints?: SageMakerEndpointFixture[];
  /** Configurations no fixture endpoint creates (e.g. one left behind). */
  endpointConfigs?: { name: string; variants?: SageMakerVariantFixture[]; tags?: FixtureTags }[];
  notebooks?: SageMakerNotebookFixture[];
}

/** Endpoint, configuration and notebook names: 1–63 of [a-zA-Z0-9-], no leading or trailing hyphen. */
export const SAGEMAKER_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

export function sageMakerArn(region: string, accountId: string, kind: 'endpoint' | 'endpoint-config' | 'notebook-instance', name: string): string {
  return `arn:aws:sagemaker:${region}:${accountId}:${kind}/${name.toLowerCase()}`;
}

export class SimSageMakerRegion {
  readonly endpoints = new Map<string, SimEndpoint>();
  readonly endpointConfigs = new Map<string, SimEndpointConfig>();
  readonly notebooks = new Map<string, SimNotebook>();

  /** Moves Stopping notebooks whose stop has finished to Stopped (wall clock); every SageMaker call runs it first. */
  settle(nowMs = Date.now()): void {
    for (const n of this.notebooks.values()) {
      if (n.status === 'Stopping' && (n.stopsAtMs ?? 0) <= nowMs) {
        n.status = 'Stopped';
        n.lastModified = new Date(nowMs);
        delete n.stopsAtMs;
      }
    }
  }

  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    this.settle();
    return [
      ...[...this.endpoints.values()].map((e) => ({ arn: e.arn, resourceType: 'sagemaker:endpoint', tags: e.tags.map((t) => ({ ...t })) })),
      ...[...this.endpointConfigs.values()].map((c) => ({ arn: c.arn, resourceType: 'sagemaker:endpoint-config', tags: c.tags.map((t) => ({ ...t })) })),
      ...[...this.notebooks.values()].map((n) => ({ arn: n.arn, resourceType: 'sagemaker:notebook-instance', tags: n.tags.map((t) => ({ ...t })) })),
    ];
  }
}

const tagsOf = (t: FixtureTags | undefined): SimTag[] => Object.entries(t ?? {}).map(([key, value]) => ({ key, value }));

function configVariants(owner: string, vs: SageMakerVariantFixture[] | undefined): SimConfigVariant[] {
  const list = vs ?? [{}];
  return list.map((v, i) => ({
    variantName: v.name ?? (i === 0 ? 'AllTraffic' : `variant-${i + 1}`),
    ...(v.model === null ? {} : { modelName: v.model ?? `${owner}-model` }),
    ...(v.serverless ? { serverless: { ...v.serverless } } : { instanceType: v.instanceType ?? 'ml.m5.large', initialInstanceCount: v.instanceCount ?? 1 }),
  }));
}

function checkName(what: string, name: string): void {
  if (!SAGEMAKER_NAME_PATTERN.test(name)) throw new Error(`fixture: SageMaker ${what} name ${name} breaks AWS's rule ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`);
}

export function loadSageMakerFixture(into: SimSageMakerRegion, fx: SageMakerRegionFixture | undefined, ctx: { region: string; accountId: string; now: Date }): void {
  if (fx === undefined) return;
  const ago = (days: number): Date => new Date(ctx.now.getTime() - days * 86_400_000);
  const addConfig = (name: string, owner: string, variants: SageMakerVariantFixture[] | undefined, createdAt: Date, tags: FixtureTags | undefined): SimEndpointConfig => {
    checkName('endpoint configuration', name);
    if (into.endpointConfigs.has(name)) throw new Error(`fixture: SageMaker endpoint configuration ${name} appears twice in ${ctx.region}`);
    const c = { name, arn: sageMakerArn(ctx.region, ctx.accountId, 'endpoint-config', name), createdAt, variants: configVariants(owner, variants), tags: tagsOf(tags) };
    into.endpointConfigs.set(name, c);
    return c;
  };
  for (const c of fx.endpointConfigs ?? []) addConfig(c.name, c.name, c.variants, ago(100), c.tags);
  for (const e of fx.endpoints ?? []) {
    checkName('endpoint', e.name);
    if (into.endpoints.has(e.name)) throw new Error(`fixture: SageMaker endpoint ${e.name} appears twice in ${ctx.region}`);
    const createdAt = ago(e.createdDaysAgo ?? 100);
    const configName = e.config ?? `${e.name}-config`;
    const config = into.endpointConfigs.get(configName) ?? addConfig(configName, e.name, e.variants, createdAt, e.configTags);
    into.endpoints.set(e.name, {
      name: e.name,
      arn: sageMakerArn(ctx.region, ctx.accountId, 'endpoint', e.name),
      configName,
      status: e.status ?? 'InService',
      createdAt,
      lastModified: createdAt,
      variants: config.variants.map((v) => ({
        variantName: v.variantName,
        ...(v.serverless ? { serverless: { ...v.serverless } } : { currentInstanceCount: v.initialInstanceCount ?? 1 }),
      })),
      tags: tagsOf(e.tags),
    });
  }
  for (const n of fx.notebooks ?? []) {
    checkName('notebook instance', n.name);
    if (into.notebooks.has(n.name)) throw new Error(`fixture: SageMaker notebook instance ${n.name} appears twice in ${ctx.region}`);
    const created = n.createdDaysAgo ?? 100;
    into.notebooks.set(n.name, {
      name: n.name,
      arn: sageMakerArn(ctx.region, ctx.accountId, 'notebook-instance', n.name),
      status: n.status ?? 'InService',
      instanceType: n.instanceType ?? 'ml.t3.medium',
      createdAt: ago(created),
      lastModified: ago(n.lastModifiedDaysAgo ?? created),
      volumeSizeInGB: n.volumeSizeInGB ?? 5,
      tags: tagsOf(n.tags),
    });
  }
}
