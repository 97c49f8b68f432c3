/**
 * SageMaker over JSON 1.1 (target prefix `SageMaker`, signing name `sagemaker`, API 2017-07-24): ListEndpoints,
 * DescribeEndpoint, DescribeEndpointConfig, DeleteEndpoint, DeleteEndpointConfig, ListNotebookInstances,
 * DescribeNotebookInstance, StopNotebookInstance, DeleteNotebookInstance.
 *
 * - Listings: MaxResults 1–100 (default 10, AWS's), SortBy Name | CreationTime | Status (default CreationTime),
 *   SortOrder Ascending | Descending (default Descending), StatusEquals; NextToken opaque and bound to the request's
 *   other parameters (a foreign or malformed token → ValidationException). The last page has no NextToken.
 * - Errors: the SDK models none for these operations; SageMaker answers ValidationException 400 for a missing
 *   resource, with its own wording: `Could not find endpoint "<arn>".`, `Could not find endpoint configuration
 *   "<arn>".`, `RecordNotFound` for a notebook instance. A state transition that is not allowed:
 *   `Status (Stopped) not in ([InService]). Unable to transition to (Stopping) for Notebook Instance (<arn>).`
 * - StopNotebookInstance: InService → Stopping, Stopped after `sageMakerStopDelayMs` (wall clock; default 0 = by the
 *   next SageMaker call). DeleteNotebookInstance only from Stopped or Failed (it is then gone). DeleteEndpoint removes
 *   the endpoint (its configuration stays: DeleteEndpointConfig is a separate call, and AWS does not refuse to delete a
 *   configuration an endpoint still uses).
 * - Timestamps are epoch seconds (the JSON protocol's default format).
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../api-error';
import type { JsonObject } from '../protocols/json';
import { jsonService } from '../protocols/json';
import type { CallContext } from '../protocols/protocol';
import type { SimEndpoint, SimEndpointConfig, SimNotebook, SimSageMakerRegion, SimServerless } from '../sagemaker-state';
import { sageMakerArn } from '../sagemaker-state';

declare module '../protocols/protocol' {
  interface SimOptions {
    /** StopNotebookInstance: Stopping for this many wall-clock ms, then Stopped (default 0: by the next call). */
    sageMakerStopDelayMs?: number;
  }
}

export const SAGEMAKER_MAX_RESULTS = 100;
const DEFAULT_MAX_RESULTS = 10;

const invalid = (message: string): ApiError => new ApiError('ValidationException', message, 400);
const epoch = (d: Date): number => d.getTime() / 1000;

function regionOf(ctx: CallContext): SimSageMakerRegion {
  const r = ctx.region.sagemaker;
  r.settle();
  return r;
}

function nameParam(input: JsonObject, member: string): string {
  const v = input[member];
  if (typeof v !== 'string' || v.length === 0) throw invalid(`1 validation error detected: Value null at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return v;
}

const arnOf = (ctx: CallContext, kind: 'endpoint' | 'endpoint-config' | 'notebook-instance', name: string): string =>
  sageMakerArn(ctx.regionName, ctx.account.accountId, kind, name);

function endpointOf(ctx: CallContext, name: string): SimEndpoint {
  const e = regionOf(ctx).endpoints.get(name);
  if (e === undefined) throw invalid(`Could not find endpoint "${arnOf(ctx, 'endpoint', name)}".`);
  return e;
}

function configOf(ctx: CallContext, name: string): SimEndpointConfig {
  const c = regionOf(ctx).endpointConfigs.get(name);
  if (c === undefined) throw invalid(`Could not find endpoint configuration "${arnOf(ctx, 'endpoint-config', name)}".`);
  return c;
}

function notebookOf(ctx: CallContext, name: string): SimNotebook {
  const n = regionOf(ctx).notebooks.get(name);
  if (n === undefined) throw invalid('RecordNotFound');
  return n;
}

function transition(n: SimNotebook, allowed: readonly string[], to: string): void {
  if (!allowed.includes(n.status)) {
    throw invalid(`Status (${n.status}) not in ([${allowed.join(', ')}]). Unable to transition to (${to}) for Notebook Instance (${n.arn}).`);
  }
}

// ---- paging ----

interface Sortable {
  name: string;
  createdAt: Date;
  status: string;
}

function page<T extends Sortable>(op: string, input: JsonObject, all: readonly T[], statuses: readonly string[]): { items: T[]; next?: string } {
  const max = input['MaxResults'] ?? DEFAULT_MAX_RESULTS;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > SAGEMAKER_MAX_RESULTS) {
    throw invalid(`1 validation error detected: Value '${String(max)}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${SAGEMAKER_MAX_RESULTS}`);
  }
  const sortBy = input['SortBy'] ?? 'CreationTime';
  const order = input['SortOrder'] ?? 'Descending';
  if (sortBy !== 'Name' && sortBy !== 'CreationTime' && sortBy !== 'Status') throw invalid(`1 validation error detected: Value '${String(sortBy)}' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [Name, CreationTime, Status]`);
  if (order !== 'Ascending' && order !== 'Descending') throw invalid(`1 validation error detected: Value '${String(order)}' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [Ascending, Descending]`);
  const status = input['StatusEquals'];
  if (status !== undefined && (typeof status !== 'string' || !statuses.includes(status))) {
    throw invalid(`1 validation error detected: Value '${String(status)}' at 'statusEquals' failed to satisfy constraint: Member must satisfy enum value set: [${statuses.join(', ')}]`);
  }
  const nameContains = typeof input['NameContains'] === 'string' ? input['NameContains'].toLowerCase() : undefined;
  const bound = createHash('sha256').update(JSON.stringify([op, sortBy, order, status ?? null, nameContains ?? null])).digest('hex').slice(0, 16);
  let offset = 0;
  const token = input['NextToken'];
  if (token !== undefined && token !== null) {
    const m = typeof token === 'string' ? /^([0-9a-f]{16})\.(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8')) : null;
    if (m === null || m[1] !== bound) throw invalid('Invalid pagination token');
    offset = Number(m[2]);
  }
  const key = (x: T): string | number => (sortBy === 'Name' ? x.name : sortBy === 'Status' ? x.status : x.createdAt.getTime());
  const sorted = all
    .filter((x) => (status === undefined || x.status === status) && (nameContains === undefined || x.name.toLowerCase().includes(nameContains)))
    .sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      const c = ka < kb ? -1 : ka > kb ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
      return order === 'Ascending' ? c : -c;
    });
  const items = sorted.slice(offset, offset + max);
  const end = offset + items.length;
  return end < sorted.length ? { items, next: Buffer.from(`${bound}.${end}`).toString('base64') } : { items };
}

// ---- rendering ----

const serverlessOut = (s: SimServerless): JsonObject => ({
  MemorySizeInMB: s.memorySizeInMB,
  MaxConcurrency: s.maxConcurrency,
  ...(s.provisionedConcurrency !== undefined ? { ProvisionedConcurrency: s.provisionedConcurrency } : {}),
});

function endpointOut(e: SimEndpoint): JsonObject {
  return {
    EndpointName: e.name,
    EndpointArn: e.arn,
    EndpointConfigName: e.configName,
    ProductionVariants: e.variants.map((v) => ({
      VariantName: v.variantName,
      CurrentWeight: 1,
      DesiredWeight: 1,
      ...(v.serverless
        ? { CurrentServerlessConfig: serverlessOut(v.serverless), DesiredServerlessConfig: serverlessOut(v.serverless) }
        : { CurrentInstanceCount: v.currentInstanceCount ?? 0, DesiredInstanceCount: v.currentInstanceCount ?? 0 }),
    })),
    EndpointStatus: e.status,
    CreationTime: epoch(e.createdAt),
    LastModifiedTime: epoch(e.lastModified),
  };
}

function configOut(c: SimEndpointConfig): JsonObject {
  return {
    EndpointConfigName: c.name,
    EndpointConfigArn: c.arn,
    ProductionVariants: c.variants.map((v) => ({
      VariantName: v.variantName,
      ...(v.modelName !== undefined ? { ModelName: v.modelName } : {}),
      ...(v.serverless
        ? { ServerlessConfig: serverlessOut(v.serverless) }
        : { InstanceType: v.instanceType, InitialInstanceCount: v.initialInstanceCount ?? 1, InitialVariantWeight: 1 }),
    })),
    CreationTime: epoch(c.createdAt),
  };
}

function notebookSummary(n: SimNotebook, region: string): JsonObject {
  return {
    NotebookInstanceName: n.name,
    NotebookInstanceArn: n.arn,
    NotebookInstanceStatus: n.status,
    Url: `${n.name.toLowerCase()}.notebook.${region}.sagemaker.aws`,
    InstanceType: n.instanceType,
    CreationTime: epoch(n.createdAt),
    LastModifiedTime: epoch(n.lastModified),
  };
}

const ENDPOINT_STATUSES = ['OutOfService', 'Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'InService', 'Deleting', 'Failed', 'UpdateRollbackFailed'];
const NOTEBOOK_STATUSES = ['Pending', 'InService', 'Stopping', 'Stopped', 'Failed', 'Deleting', 'Updating', 'PendingMaintenance', 'InMaintenance'];

export const sageMakerService = jsonService({
  name: 'SageMaker',
  signingName: 'sagemaker',
  rejectsAuthFailureRegions: true,
  version: '2017-07-24',
  jsonVersion: '1.1',
  targetPrefix: 'SageMaker',
  operations: {
    ListEndpoints: (ctx, input) => {
      const all = [...regionOf(ctx).endpoints.values()].map((e) => ({ ...e, status: e.status as string }));
      const { items, next } = page('ListEndpoints', input, all, ENDPOINT_STATUSES);
      return {
        Endpoints: items.map((e) => ({
          EndpointName: e.name,
          EndpointArn: e.arn,
          CreationTime: epoch(e.createdAt),
          LastModifiedTime: epoch(e.lastModified),
          EndpointStatus: e.status,
        })),
        ...(next !== undefined ? { NextToken: next } : {}),
      };
    },
    DescribeEndpoint: (ctx, input) => endpointOut(endpointOf(ctx, nameParam(input, 'EndpointName'))),
    DescribeEndpointConfig: (ctx, input) => configOut(configOf(ctx, nameParam(input, 'EndpointConfigName'))),
    DeleteEndpoint: (ctx, input) => {
      const e = endpointOf(ctx, nameParam(input, 'EndpointName'));
      regionOf(ctx).endpoints.delete(e.name);
      return {};
    },
    DeleteEndpointConfig: (ctx, input) => {
      const c = configOf(ctx, nameParam(input, 'EndpointConfigName'));
      regionOf(ctx).endpointConfigs.delete(c.name);
      return {};
    },
    ListNotebookInstances: (ctx, input) => {
      const all = [...regionOf(ctx).notebooks.values()];
      const { items, next } = page('ListNotebookInstances', input, all, NOTEBOOK_STATUSES);
      return { NotebookInstances: items.map((n) => notebookSummary(n, ctx.regionName)), ...(next !== undefined ? { NextToken: next } : {}) };
    },
    DescribeNotebookInstance: (ctx, input) => {
      const n = notebookOf(ctx, nameParam(input, 'NotebookInstanceName'));
      return { ...notebookSummary(n, ctx.regionName), VolumeSizeInGB: n.volumeSizeInGB, DirectInternetAccess: 'Enabled', RootAccess: 'Enabled', PlatformIdentifier: 'notebook-al2-v2' };
    },
    StopNotebookInstance: (ctx, input) => {
      const n = notebookOf(ctx, nameParam(input, 'NotebookInstanceName'));
      transition(n, ['InService'], 'Stopping');
      n.status = 'Stopping';
      n.lastModified = new Date();
      n.stopsAtMs = Date.now() + (ctx.options.sageMakerStopDelayMs ?? 0);
      return {};
    },
    DeleteNotebookInstance: (ctx, input) => {
      const n = notebookOf(ctx, nameParam(input, 'NotebookInstanceName'));
      transition(n, ['Stopped', 'Failed'], 'Deleting');
      regionOf(ctx).notebooks.delete(n.name);
      return {};
    },
  },
});
