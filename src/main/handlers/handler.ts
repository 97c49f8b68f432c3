import type { PartDto } from '../../shared/dto/findings';
import type { KindActionDto, KindDetailFieldDto, KindPlanOptionDto, KindSettingDto, VerificationMethod } from '../../shared/dto/kinds';
import type { Destroyable, SdkClientClass } from '../aws/clients';
import type { RegionMetrics } from '../metrics/engine';
import type { PriceKey, RegionPrices } from '../pricing/types';
import type { RegionInventory, RegionListing } from './region-inventory';

/** The kinds that ship with the app (their ids are stored in the database: stable). */
export const RESOURCE_TYPES = [
  'ec2:instance',
  'ec2:volume',
  'ec2:elastic-ip',
  'ec2:snapshot',
  'ec2:image',
  'ec2:nat-gateway',
  'ec2:vpc-endpoint',
  'elb:load-balancer',
  'rds:db-instance',
  'rds:db-cluster',
  'rds:snapshot',
  'elasticache:cluster',
  'redshift:cluster',
  'opensearch:domain',
  'logs:log-group',
  'logs:dead-log-group',
  's3:incomplete-uploads',
  'ecr:image',
  'secretsmanager:secret',
  'eks:cluster',
  'sagemaker:endpoint',
  'sagemaker:notebook-instance',
  'kms:key',
] as const;
/**
 * A kind's id, `service:kind` (`ec2:volume`). Any string a registered kind declares: kinds are plugins, the registry
 * is the list.
 */
export type ResourceType = string;

export type HandlerCategory = 'Compute' | 'Storage' | 'Networking' | 'Database' | 'Analytics' | 'Management' | 'Security' | 'Containers' | 'Machine Learning';

/** One resource as a handler saw it in one region. Every resource listed is reported, used or not. */
export interface Finding {
  resourceType: ResourceType;
  resourceId: string;
  region: string;
  /** The Name tag, or null. */
  name: string | null;
  state: string | null;
  tags: Record<string, string>;
  /** AWS creation time (ISO 8601), or null when AWS does not say. */
  createdAt: string | null;
  unused: boolean;
  /** Why the resource is unused, in a sentence a user understands; null when it is in use. */
  unusedReason: string | null;
  /**
   * The reason's category for the findings filter ("Stopped by the user N days ago"); absent: derived from the reason
   * (src/main/findings/reason-category.ts). Set it when the reason names a resource by a free name.
   */
  reasonCategory?: string | null;
  /** Since when it has been unused (ISO 8601); null = unknown (never guessed). */
  unusedSince: string | null;
  /** Monthly cost in USD at 730 hours, or null when it cannot be priced (unknown, never $0). */
  monthlyCost: number | null;
  /** The formula behind monthlyCost, naming every price used, e.g. `gp3 500 GiB × $0.088 (eu-west-1)`. */
  costBasis: string;
  protected: boolean;
  /** Why it is protected (tag or termination protection), or null. */
  protectedReason: string | null;
  /** Type-specific facts (JSON-serializable): attachments, snapshots, volumes that go with it, … */
  details: Record<string, unknown>;
  /**
   * What deleting it saves (own cost + parts deleted with it); set by the scanner from `parts` (handlers leave it
   * out). Null = unknown.
   */
  monthlySavings?: number | null;
}

export interface HandlerSettings {
  /** An instance is flagged only when stopped by the user at least this many days ago. */
  stoppedInstanceDays: number;
  /** Tag key that protects a resource; any value but `false` protects. */
  protectionTagKey: string;
  /** The kinds' own declared settings by key (the stored value or the declared default). */
  kinds?: Readonly<Record<string, number>>;
  /** Days of CloudWatch history every metric-based verdict is judged over (default 30, at least 14). */
  metricsLookbackDays?: number;
}

export const DEFAULT_HANDLER_SETTINGS: HandlerSettings = {
  stoppedInstanceDays: 30,
  protectionTagKey: 'cloud-cleaner:keep',
};

export interface HandlerContext {
  region: string;
  accountId: string;
  /**
   * The SDK client of a service for `region`, from the one factory (aws/clients.ts: that service's retry and endpoint
   * policy): `ctx.client(EC2Client)`. Throws NoClientError where the context offers no such client (a handler that
   * needs it must then not guess: see the AMI handler's launch configurations).
   */
  client<C extends Destroyable>(ctor: SdkClientClass<C>): C;
  /** Prices for `region`, or null when unknown (costs then null). */
  prices: RegionPrices | null;
  settings: HandlerSettings;
  /** The scan's clock (tests pass a fixed date). */
  now: Date;
  /** Passed to every SDK call as `abortSignal`. */
  signal?: AbortSignal;
  /** Page size for Describe calls; handlers clamp it to each API's documented bounds. */
  pageSize?: number;
  /**
   * In a scan: the region's shared listings (volumes, instances, AMIs, addresses are read once for all handlers).
   * Absent outside a scan (recheck, delete): each handler then reads what it needs itself.
   */
  inventory?: RegionInventory;
  /**
   * In a scan: the scan's metrics engine for this region (batched GetMetricData, cache, cost meter). Outside a scan it
   * is absent: `metricsOf(ctx)` (metrics/context.ts) builds an uncached one for a re-check.
   */
  metrics?: RegionMetrics;
  /**
   * In a cleanup: the id of the action chosen for the item (one of the kind's `actions`; absent = the default). The
   * re-check reads it (an instance to stop must still be running), and so does `delete`.
   */
  action?: string;
}

/** A context that has no client for a service (tests, or a context built for one service only). */
export class NoClientError extends Error {
  constructor(service: string) {
    super(`No ${service} client in this context`);
    this.name = 'NoClientError';
  }
}

/** A stored finding as the cleanup hands it back (what was reviewed). */
export interface StoredFinding extends Finding {
  /** Primary key of the `resources` row. */
  id: number;
}

export type RecheckResult =
  | { status: 'unchanged'; current: Finding }
  | { status: 'changed'; reason: string; current: Finding | null }
  | { status: 'protected'; reason: string; current: Finding }
  | { status: 'gone'; reason: string };

/** One mutating AWS call, recorded in the audit log before it is made and completed after it. */
export interface AuditedCall {
  /** API action, e.g. `TerminateInstances`, `DeleteSnapshot`, `CreateSnapshot`. */
  action: string;
  /** The AWS id the call acts on. */
  target: string;
  dryRun: boolean;
}

export interface DeleteContext extends HandlerContext {
  /**
   * Wraps every mutating AWS call (dry run included): writes the audit row, runs `fn`, completes the row.
   * Errors thrown by `fn` are recorded and rethrown.
   */
  audited<T>(call: AuditedCall, fn: () => Promise<T>): Promise<T>;
  /** Plan id, used to tag safety-net snapshots. */
  planId: string;
  /** True once the user cancelled the plan: long waits check it (it aborts no call: one in flight finishes, audited). */
  cancelled?: () => boolean;
  /** Snapshot an unattached volume before deleting it (volume handler only). */
  snapshotBeforeDelete?: boolean;
  /** Ids of kept parts the user added to this item: the delete removes them too, after the main call. */
  addedParts?: readonly string[];
  /** Waiting for a state change before removing added parts (tests shorten them). */
  pollMs?: number;
  waitMs?: number;
}

export type DeleteOutcome =
  /** dryRun: AWS answered DryRunOperation (permission ok). Otherwise: the resource was removed. */
  | { kind: 'dry-run-ok'; calls: string[] }
  /** Verified without a DryRun (the API has none): re-checked, and the permissions simulated (see `note`). */
  | { kind: 'checked'; calls: string[]; note: string }
  | { kind: 'deleted'; calls: string[]; safetySnapshotId?: string }
  | { kind: 'unauthorized'; code: string; message: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'failed'; code: string; message: string };

/**
 * A part of a finding: an AWS resource its action removes with it, or one that stays (see PartDto). Handlers build
 * parts from what the scan stored in `details` (ids, sizes, costs, the parts' own tags), so the plan can price them
 * and check their protection with the settings in force, and the re-check can compare them with AWS.
 */
export type Part = PartDto;

/** The plan's choices that change an item's parts. */
export interface PartsOptions {
  /** A tagged safety snapshot is taken before each volume is deleted (a part created, and kept). */
  snapshotVolumes: boolean;
  /** Ids of kept, addable parts the user added to the plan: the action removes them too. */
  added?: readonly string[];
  /**
   * The action chosen for the item (one of the kind's `actions`; absent = the default): its parts and savings are
   * those of that action (a stop saves the compute, not the storage; a final snapshot is a part created and kept).
   */
  action?: string;
}

/** A finding's own cost and its parts. */
export interface ItemParts {
  /** The finding's own monthly cost, without its parts (a stopped instance: $0 of compute). */
  own: { monthlyCost: number | null; costBasis: string };
  parts: Part[];
}

/** @deprecated the parts of a finding: see Part. */
export type RelatedResource = Part;

/**
 * A resource kind declares itself: everything the rest of the app shows or checks about it comes from here (the
 * renderer, discovery coverage, failure advice, the cleanup review and the CLI derive from the registry).
 */
export interface KindDescription {
  /** One resource: "EBS volume". */
  noun: string;
  /** The console page of one resource: `{host}`, `{region}`, `{id}` are filled in; null when there is none. */
  consoleUrl: string | null;
  /** IAM actions the scan needs, and those the cleanup's action makes. */
  iam: { scan: string[]; action: string[] };
  /** The action in a word: "Terminate", "Delete", "Release", "Deregister". */
  actionLabel: string;
  /** How the action is checked before it runs, without changing anything. */
  verification: { method: VerificationMethod; description: string };
  /**
   * What a cleanup can do to it, the default first (see KindActionDto): delete with a final snapshot, delete without
   * one (explicit), stop, pause. Absent: one action, `delete`, labelled `actionLabel`, making `iam.action`.
   */
  actions?: readonly KindActionDto[];
  planOptions?: KindPlanOptionDto[];
  settings?: KindSettingDto[];
  /** The finding's `details` as the drawer shows them: labelled values with units. */
  detailFields: KindDetailFieldDto[];
  /**
   * Every price the kind reads from `ctx.prices` (its parts' prices included), each with where the Price List
   * publishes it and its bundled values. The price service fetches, caches and bundles exactly the keys of the
   * registered kinds; a key several kinds use is one shared declaration (pricing/keys/). None: the kind prices nothing.
   */
  priceKeys?: readonly PriceKey[];
}

export interface ResourceHandler extends KindDescription {
  type: ResourceType;
  label: string;
  category: HandlerCategory;
  /** Service codes (service-catalog.ts) whose spend this handler can reduce. */
  serviceCodes: readonly string[];
  /** Order in a cleanup: lower runs first (instances before images before snapshots before volumes). */
  deleteOrder: number;
  /**
   * The region listings its scan reads from `ctx.inventory`. The scanner frees a listing when the last task that
   * declares it ends; a listing read without being declared is kept until the region's scan ends.
   */
  listings?: readonly RegionListing[];
  /**
   * The Resource Groups Tagging API resource types (`es:domain`, …) its scan may pass to `tagsByArn` (tagging.ts). In a
   * scan, one shared GetResources listing per region covers the types of the kinds still running when the first asks.
   */
  tagTypes?: readonly string[];
  /** Lists every resource of this type in `ctx.region`, page by page. */
  scan(ctx: HandlerContext): AsyncIterable<Finding[]>;
  /**
   * Why `action` cannot be done to this finding (a read replica cannot be stopped, an instance already stopped cannot
   * be stopped again), or null. The plan refuses the item with the reason. Absent: every declared action applies.
   */
  actionRefusal?(finding: Finding, action: string): string | null;
  /**
   * What the scan leaves to plan time because AWS answers it one resource at a time (an instance's termination
   * protection): read for the items of a plan, by region. A protection reason by resource id for those it protects; a
   * read that fails gives no reason (the re-check reads it again, and AWS refuses a protected resource anyway).
   * Absent: the kind's scan read everything its protection needs.
   */
  planProtection?(ctx: HandlerContext, findings: readonly StoredFinding[]): Promise<Map<string, string>>;
  /** Describes the resource again; says whether it is still unused, unprotected and unchanged. */
  recheck(ctx: HandlerContext, finding: StoredFinding): Promise<RecheckResult>;
  /** Removes the resource (or, with dryRun, asks AWS whether it may). Never throws for AWS errors. */
  delete(ctx: DeleteContext, finding: StoredFinding, opts: { dryRun: boolean }): Promise<DeleteOutcome>;
  /**
   * The dependency model, from the stored finding alone (no AWS call): its own cost and the parts its delete removes
   * or leaves, each priced, with protection evaluated under `settings` (so a protection key changed since the scan
   * counts). The scan, the plan, the re-check and the delete all use it.
   */
  parts(finding: Finding, settings: HandlerSettings, options: PartsOptions): ItemParts;
  /** The Cost Explorer service the resource's own cost is billed under (bill reconciliation). */
  billingServiceCode: string;
}

/** Tags as a plain object. */
export function tagsToRecord(tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/** Tag keys compare case-insensitively, surrounding spaces ignored: AWS keys are case-sensitive, people are not. */
function sameKey(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The protection rule, the same in scan, plan, recheck and delete: the tag present (key matched case-insensitively)
 * with any value but `false` (case-insensitive, surrounding spaces ignored) protects.
 */
export function protectionByTag(tags: Record<string, string>, key: string): string | null {
  for (const [k, value] of Object.entries(tags)) {
    if (!sameKey(k, key)) continue;
    if (value.trim().toLowerCase() === 'false') continue;
    return `Tagged ${k}${value === '' ? '' : `=${value}`}`;
  }
  return null;
}

/** Money for cost bases: `$0.088`, `$0.0055`, `$3.65` (no rounding below the published precision). */
export function usd(n: number): string {
  const s = n.toFixed(8).replace(/0+$/, '').replace(/\.$/, '');
  const [i, f = ''] = s.split('.');
  return `$${i}.${f.padEnd(2, '0')}`;
}

// One formatter for every cost basis: toLocaleString builds a new Intl formatter per call, which at 100k findings
// a scan was the single hottest function of the whole scan.
const NUMBER_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

/** Integers with thousands separators for cost bases: 1,000. */
export function num(n: number): string {
  return NUMBER_FORMAT.format(n);
}

/** Rounds a monthly cost to 1/10,000 of a cent (keeps sums stable without hiding sub-cent costs). */
export function roundCost(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
