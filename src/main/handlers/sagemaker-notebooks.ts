/**
 * SageMaker notebook instances left running (AWS-FACTS-BEYOND-EC2.md, kind 10). A notebook instance bills every hour
 * it is InService (`Notebk:<instance type>`) and its ML storage volume every month it exists, running or stopped
 * (`Notebk:VolumeUsage.gp2`).
 *
 * SageMaker publishes no activity signal for a notebook instance (no CloudWatch metric of kernel or user activity,
 * no last-used time), so this kind does not call one idle. It reports what the API shows: the instance is `InService`
 * and its LastModifiedTime — the last change to the instance, such as its last start, stop or update — is at least N
 * days ago (setting `sagemakerNotebookRunningDays`, default 14): "running since at least <LastModifiedTime>".
 * Whether anyone uses it is not known, and the reason says so.
 *
 * Calls: ListNotebookInstances (paged, MaxResults ≤ 100, StatusEquals InService) carries status, instance type and
 * times but not the volume size; DescribeNotebookInstance (no batch form exists) is made **only for candidates** (InService
 * for at least N days), concurrency ≤ 8, to read VolumeSizeInGB. A notebook that is not a candidate has its storage
 * unread and its cost unknown (named in the basis). Tags: one paged `tag:GetResources` per region
 * (`sagemaker:notebook-instance`).
 *
 * Actions (no DryRun: verified by the re-check and an IAM permission check), see sagemaker-notebook-actions.ts:
 * `stop` (default; saves the instance hours, the volume keeps billing; the finding stays for the next scan) and
 * `delete` (stop, wait until Stopped, then DeleteNotebookInstance; the ML storage volume and its files are deleted).
 */
import { DescribeNotebookInstanceCommand, ListNotebookInstancesCommand, SageMakerClient, type DescribeNotebookInstanceOutput, type NotebookInstanceSummary } from '@aws-sdk/client-sagemaker';
import { price } from '../pricing/price-key';
import { SAGEMAKER_NOTEBOOK_PRICE_KEYS, SAGEMAKER_NOTEBOOK_STORAGE_GB_MONTH, sageMakerNotebookHourKey } from '../pricing/keys/sagemaker';
import { HOURS_PER_MONTH, type RegionPrices } from '../pricing/types';
import { createLimiter } from '../scan/limiter';
import { clampPageSize } from './ec2-common';
import { num, protectionByTag, roundCost, usd } from './handler';
import type { Finding, HandlerContext, ItemParts, RecheckResult, ResourceHandler } from './handler';
import { storedNumber, storedString } from './parts';
import { NOTEBOOK_ACTIONS, deleteNotebook, isNotebookNotFound } from './sagemaker-notebook-actions';
import { tagsByArn } from './tagging';

export const SAGEMAKER_NOTEBOOK_TYPE = 'sagemaker:notebook-instance';
export const RUNNING_DAYS_SETTING = 'sagemakerNotebookRunningDays';
export const DEFAULT_RUNNING_DAYS = 14;
const DESCRIBE_CONCURRENCY = 8;
const DAY_MS = 86_400_000;

interface Cost {
  monthlyCost: number | null;
  costBasis: string;
}

interface NbFacts {
  name: string;
  arn: string;
  status: string;
  instanceType: string | null;
  createdAt: Date | null;
  lastModified: Date | null;
  /** Null: not read (not a candidate), or not answered. */
  volumeSizeInGB: number | null;
}

const facts = (n: NotebookInstanceSummary | DescribeNotebookInstanceOutput, volume: number | null): NbFacts => ({
  name: n.NotebookInstanceName ?? '',
  arn: n.NotebookInstanceArn ?? '',
  status: n.NotebookInstanceStatus ?? 'unknown',
  instanceType: n.InstanceType ?? null,
  createdAt: n.CreationTime ? new Date(n.CreationTime) : null,
  lastModified: n.LastModifiedTime ? new Date(n.LastModifiedTime) : null,
  volumeSizeInGB: volume,
});

export function runningDays(ctx: Pick<HandlerContext, 'settings'>): number {
  const v = ctx.settings.kinds?.[RUNNING_DAYS_SETTING];
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : DEFAULT_RUNNING_DAYS;
}

/** InService, unchanged for at least the setting's days. */
function isCandidate(f: NbFacts, now: Date, days: number): boolean {
  return f.status === 'InService' && f.lastModified !== null && now.getTime() - f.lastModified.getTime() >= days * DAY_MS;
}

function hoursCost(f: NbFacts, prices: RegionPrices | null, region: string): Cost {
  const key = f.instanceType === null ? undefined : sageMakerNotebookHourKey(f.instanceType);
  const p = key !== undefined && prices !== null ? price(prices, key) : null;
  if (p === null) return { monthlyCost: null, costBasis: `Cost unknown: no SageMaker notebook price for ${f.instanceType ?? 'its instance type'} (${region})` };
  return { monthlyCost: roundCost(HOURS_PER_MONTH * p), costBasis: `${f.instanceType ?? ''} notebook × ${HOURS_PER_MONTH} h × ${usd(p)}` };
}

function storageCost(f: NbFacts, prices: RegionPrices | null, region: string): Cost {
  if (f.volumeSizeInGB === null) return { monthlyCost: null, costBasis: 'ML storage volume size not read (DescribeNotebookInstance is made only for notebooks running past the threshold)' };
  const p = prices === null ? null : price(prices, SAGEMAKER_NOTEBOOK_STORAGE_GB_MONTH);
  if (p === null) return { monthlyCost: null, costBasis: `Cost unknown: no SageMaker notebook ML storage price (${region}); volume ${num(f.volumeSizeInGB)} GB` };
  return { monthlyCost: roundCost(f.volumeSizeInGB * p), costBasis: `ML storage ${num(f.volumeSizeInGB)} GB × ${usd(p)}/GB-mo` };
}

function toFinding(ctx: HandlerContext, f: NbFacts, tags: Record<string, string>): Finding {
  const protectedReason = protectionByTag(tags, ctx.settings.protectionTagKey);
  const days = runningDays(ctx);
  const candidate = isCandidate(f, ctx.now, days);
  const hours = hoursCost(f, ctx.prices, ctx.region);
  const storage = storageCost(f, ctx.prices, ctx.region);
  const total: Cost =
    hours.monthlyCost !== null && storage.monthlyCost !== null
      ? { monthlyCost: roundCost(hours.monthlyCost + storage.monthlyCost), costBasis: `${hours.costBasis} + ${storage.costBasis} (${ctx.region})` }
      : { monthlyCost: null, costBasis: hours.monthlyCost === null ? hours.costBasis : `Cost unknown: ${storage.costBasis}; the instance hours alone: ${hours.costBasis} (${ctx.region})` };
  const since = f.lastModified?.toISOString() ?? null;
  return {
    resourceType: SAGEMAKER_NOTEBOOK_TYPE,
    resourceId: f.name,
    region: ctx.region,
    name: f.name,
    state: f.status,
    tags,
    createdAt: f.createdAt?.toISOString() ?? null,
    unused: candidate,
    unusedReason: candidate
      ? `Running since at least ${since ?? 'an unknown time'}: InService, and its LastModifiedTime (the last change to the instance, such as its last start) is ${days} or more days ago. SageMaker reports no notebook activity, so whether anyone uses it is not known`
      : null,
    // Not known to be unused: only known to be running.
    unusedSince: null,
    monthlyCost: total.monthlyCost,
    costBasis: total.costBasis,
    protected: protectedReason !== null,
    protectedReason,
    details: {
      arn: f.arn,
      instanceType: f.instanceType,
      runningSinceAtLeast: since,
      volumeSizeInGB: f.volumeSizeInGB,
      activity: candidate ? `Running since at least ${since ?? 'an unknown time'} (no activity signal exists)` : `${f.status}; last changed ${since ?? 'at an unknown time'}`,
      instanceHours: { monthlyCost: hours.monthlyCost, costBasis: `${hours.costBasis} (${ctx.region})` },
      storage: { monthlyCost: storage.monthlyCost, costBasis: storage.costBasis },
    },
  };
}

// ---- reading AWS ----

async function describe(ctx: HandlerContext, name: string): Promise<DescribeNotebookInstanceOutput | null> {
  try {
    return await ctx.client(SageMakerClient).send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: name }), { abortSignal: ctx.signal });
  } catch (err) {
    if (isNotebookNotFound(err)) return null;
    throw err;
  }
}

async function* notebookPages(ctx: HandlerContext): AsyncIterable<NotebookInstanceSummary[]> {
  let token: string | undefined;
  do {
    const out = await ctx.client(SageMakerClient).send(
      new ListNotebookInstancesCommand({ MaxResults: clampPageSize(ctx.pageSize, 1, 100), StatusEquals: 'InService', ...(token ? { NextToken: token } : {}) }),
      { abortSignal: ctx.signal },
    );
    yield out.NotebookInstances ?? [];
    token = out.NextToken || undefined;
  } while (token !== undefined);
}

const TAG_TYPES = [SAGEMAKER_NOTEBOOK_TYPE];
const ACTION_IAM = [...new Set(NOTEBOOK_ACTIONS.flatMap((a) => a.iam))];

export const sageMakerNotebooksHandler: ResourceHandler = {
  type: SAGEMAKER_NOTEBOOK_TYPE,
  label: 'SageMaker notebook instances left running',
  noun: 'SageMaker notebook instance',
  consoleUrl: 'https://{host}/sagemaker/home?region={region}#/notebook-instances/{id}',
  iam: {
    scan: ['sagemaker:ListNotebookInstances', 'sagemaker:DescribeNotebookInstance', 'tag:GetResources'],
    action: ACTION_IAM,
  },
  actionLabel: 'Stop',
  actions: NOTEBOOK_ACTIONS,
  verification: {
    method: 'permission-check',
    description: 'SageMaker has no DryRun: each notebook instance is re-checked (status, last change, tags) and IAM policy simulation says whether you may take the chosen action',
  },
  settings: [
    {
      key: RUNNING_DAYS_SETTING,
      label: 'Notebook instances running for at least',
      description:
        'A notebook instance is reported when it is InService and its last change (LastModifiedTime: its last start, stop or update) is at least this many days ago. SageMaker reports no notebook activity, so this is how long it has been running, not how long it has been idle.',
      type: 'integer',
      unit: 'days',
      default: DEFAULT_RUNNING_DAYS,
      min: 1,
      max: 3650,
    },
  ],
  priceKeys: SAGEMAKER_NOTEBOOK_PRICE_KEYS,
  detailFields: [
    { key: 'activity', label: 'Running' },
    { key: 'instanceType', label: 'Instance type' },
    { key: 'runningSinceAtLeast', label: 'Last changed (LastModifiedTime)', format: 'datetime' },
    { key: 'volumeSizeInGB', label: 'ML storage volume', unit: 'GB', emptyText: 'Not read' },
    { key: 'arn', label: 'ARN' },
  ],
  category: 'Machine Learning',
  serviceCodes: ['AmazonSageMaker'],
  billingServiceCode: 'AmazonSageMaker',
  deleteOrder: 77,
  tagTypes: TAG_TYPES,

  async *scan(ctx) {
    const days = runningDays(ctx);
    let tags: Promise<Map<string, Record<string, string>>> | undefined;
    const limit = createLimiter(DESCRIBE_CONCURRENCY);
    for await (const page of notebookPages(ctx)) {
      ctx.signal?.throwIfAborted();
      const listed = page.filter((n) => n.NotebookInstanceName && n.NotebookInstanceStatus === 'InService').map((n) => facts(n, null));
      if (listed.length === 0) continue;
      if (tags === undefined) {
        tags = tagsByArn(ctx, TAG_TYPES);
        void tags.catch(() => undefined); // awaited below: this only keeps an early rejection from going unhandled
      }
      // The volume size only for candidates (no listing carries it).
      const sized = await Promise.all(
        listed.map((f) =>
          isCandidate(f, ctx.now, days) ? limit(async () => ({ ...f, volumeSizeInGB: (await describe(ctx, f.name))?.VolumeSizeInGB ?? null })) : Promise.resolve(f),
        ),
      );
      const byArn = await tags;
      yield sized.map((f) => toFinding(ctx, f, byArn.get(f.arn) ?? {}));
    }
  },

  async recheck(ctx, stored): Promise<RecheckResult> {
    const d = await describe(ctx, stored.resourceId);
    if (d === null) return { status: 'gone', reason: 'The notebook instance no longer exists' };
    const tags = await tagsByArn(ctx, TAG_TYPES);
    const current = toFinding(ctx, facts(d, d.VolumeSizeInGB ?? null), tags.get(d.NotebookInstanceArn ?? '') ?? {});
    if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
    if (current.state !== 'InService') return { status: 'changed', reason: `The notebook instance is ${current.state ?? 'unknown'}, no longer InService`, current };
    if (stored.details['runningSinceAtLeast'] !== current.details['runningSinceAtLeast']) {
      return { status: 'changed', reason: `It changed since the scan (LastModifiedTime now ${String(current.details['runningSinceAtLeast'])})`, current };
    }
    if (stored.unused && !current.unused) return { status: 'changed', reason: 'No longer running past the threshold', current };
    return { status: 'unchanged', current };
  },

  delete: (ctx, stored, { dryRun }) => deleteNotebook(ctx, stored, dryRun),

  parts(finding, _settings, options): ItemParts {
    if ((options.action ?? 'stop') === 'stop') {
      // A stop saves the instance hours only; the ML storage volume keeps billing.
      const hours = finding.details['instanceHours'] as Record<string, unknown> | undefined;
      const storage = finding.details['storage'] as Record<string, unknown> | undefined;
      return {
        own: {
          monthlyCost: storedNumber(hours?.['monthlyCost']),
          costBasis: `${storedString(hours?.['costBasis']) ?? 'Instance hours: unknown'}; stays billed: ${storedString(storage?.['costBasis']) ?? 'its ML storage volume'}`,
        },
        parts: [],
      };
    }
    return { own: { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis }, parts: [] };
  },
};
