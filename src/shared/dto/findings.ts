/** Stored resources ("findings" when unused). ResourceDto / FindingsPage are re-exported by src/main/db/repos/resources.ts. */
import { z } from 'zod';
import { idSchema, regionSchema, shortText } from './common';
import { IGNORED_MODES, type FindingSnoozeDto, type IgnoredTotalsDto } from './snooze';

export type ResourceStatus = 'active' | 'gone' | 'deleted';

/** A stored resource (a "finding" when unused) as a plain DTO. */
export interface ResourceDto {
  id: number;
  accountId: string;
  resourceType: string;
  region: string;
  resourceId: string;
  serviceCode: string;
  name: string | null;
  state: string | null;
  unused: boolean;
  unusedReason: string | null;
  unusedSince: string | null;
  /** USD per month; null = unknown (never $0). What the resource and everything that bills with it costs. */
  monthlyCost: number | null;
  costBasis: string;
  /**
   * What deleting it would stop billing: its own cost plus the parts its delete removes, never the parts that stay.
   * Null = unknown.
   */
  monthlySavings: number | null;
  protected: boolean;
  protectedReason: string | null;
  tags: Record<string, string>;
  details: Record<string, unknown>;
  createdAt: string | null;
  firstSeen: string;
  lastSeen: string;
  lastScanId: number | null;
  status: ResourceStatus;
  statusChangedAt: string | null;
  /** The current snooze it is under ("Ignored until 3 Jan: reason"); null when none. Filled by the lists and the drawer. */
  snooze: FindingSnoozeDto | null;
}

/**
 * "Potential savings", one definition everywhere (dashboard, scan summary, findings page, exports, CLI): the known
 * savings of the matching active, unused, unprotected findings (each finding's own cost plus the parts its delete
 * removes; parts that stay are not counted, no part twice). Protected findings are their own figure.
 */
export interface SavingsTotalsDto {
  /** Sum of the known savings of the unprotected findings. */
  monthlySavings: number;
  /** Unprotected findings (deletable candidates). */
  findings: number;
  /** Unprotected findings whose savings are unknown (not in monthlySavings). */
  unknownCount: number;
  /** What the protected findings cost per month (known costs only): they stay. */
  protectedMonthlyCost: number;
  protectedFindings: number;
}

/** Potential savings of one group of findings (a kind, a region). */
export interface WasteGroupDto {
  /** The kind id (`ec2:volume`) or the region. */
  key: string;
  savings: SavingsTotalsDto;
}

/** The dashboard's picture of the waste: the total, by kind and by region (largest first), and the top items. */
export interface WasteSummaryDto {
  totals: SavingsTotalsDto;
  byKind: WasteGroupDto[];
  byRegion: WasteGroupDto[];
  /** The largest known savings among the unprotected findings, largest first (at most five). */
  top: ResourceDto[];
  /** Active unused findings under a current snooze: not in any figure above. */
  ignored: IgnoredTotalsDto;
}

export interface FindingsPage {
  rows: ResourceDto[];
  /** Rows matching the filter (all pages). */
  total: number;
  /** Sum of known monthly costs matching the filter. */
  totalMonthlyCost: number;
  /** Matching rows whose cost is unknown. */
  unknownCostCount: number;
  /** Potential savings of the matching rows (see SavingsTotalsDto). */
  savings: SavingsTotalsDto;
  /** Matching findings under a current snooze (in "exclude", the default: left out of every figure above). */
  ignored?: IgnoredTotalsDto;
  limit: number;
  offset: number;
}

/** Same keys as main's FINDING_SORT_COLUMNS (main maps them to SQL columns). */
export const FINDING_SORT_COLUMN_NAMES = [
  'monthlyCost',
  'unusedSince',
  'region',
  'resourceType',
  'resourceId',
  'name',
  'createdAt',
  'lastSeen',
  'serviceCode',
  'state',
] as const;
export type FindingSortColumn = (typeof FINDING_SORT_COLUMN_NAMES)[number];

/** The filter part of a findings query (what the list, the totals and the export share). */
export const findingsFilterSchema = z.strictObject({
  /** Resource types, e.g. `ec2:volume`. */
  types: z.array(shortText).max(100).optional(),
  regions: z.array(regionSchema).max(100).optional(),
  serviceCodes: z.array(shortText).max(500).optional(),
  reasons: z.array(z.string().min(1).max(1000)).max(500).optional(),
  protected: z.boolean().optional(),
  minMonthlyCost: z.number().min(0).optional(),
  minAgeDays: z.number().int().min(0).max(36_500).optional(),
  search: z.string().max(200).optional(),
  /** Default: true (only unused resources). */
  unusedOnly: z.boolean().optional(),
  /** Default: ['active']. */
  statuses: z.array(z.enum(['active', 'gone', 'deleted'])).max(3).optional(),
  /** Resources last seen by this scan. */
  scanId: idSchema.optional(),
  /** Findings under a current snooze: left out (default `exclude`), included, or the only ones shown. */
  ignored: z.enum(IGNORED_MODES).optional(),
  sort: z
    .strictObject({ column: z.enum(FINDING_SORT_COLUMN_NAMES), direction: z.enum(['asc', 'desc']) })
    .optional(),
});
export type FindingsFilter = z.output<typeof findingsFilterSchema>;

export const findingsListInput = findingsFilterSchema.extend({
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).default(0),
});

/** Distinct values present in the account's active findings, for the filter menus. */
export interface FindingFacetsDto {
  resourceTypes: string[];
  regions: string[];
  serviceCodes: string[];
  /** Each service code's name as Cost Explorer shows it ("EC2 - Other" for AmazonEC2Other). */
  serviceNames: Record<string, string>;
  /** Reason categories (a reason without its numbers, dates and ids). */
  reasons: string[];
}

export const resourceGetInput = z.strictObject({ id: idSchema });

/**
 * One AWS resource a finding's action touches besides the finding itself: a part it removes with it (an instance's
 * DeleteOnTermination volumes, an AMI's own snapshots) or one that stays and keeps billing (a volume kept on
 * termination, an Elastic IP that stays allocated, a snapshot another AMI still uses, a safety snapshot it creates).
 * Savings count only what is removed; a protected part that would be removed protects the whole finding.
 */
export interface PartDto {
  resourceType: string;
  resourceId: string;
  /** `deleted`: removed by the action (by AWS, or by an explicit call after it). `kept`: stays and keeps billing. */
  fate: 'deleted' | 'kept';
  note: string;
  /** Monthly cost in USD at 730 hours; null = unknown (never $0). */
  monthlyCost: number | null;
  costBasis: string;
  /** The part's own tags as last read; null = not read (unknown). */
  tags: Record<string, string> | null;
  protected: boolean;
  protectedReason: string | null;
  /** A kept part the user may add to the plan: the action then removes it too (an explicit call after the main one). */
  addable: boolean;
  /** Created by the action and kept (a safety snapshot): its cost is subtracted from the savings. */
  created?: boolean;
  /** A kept part the user added to the plan (its fate is then `deleted`). */
  added?: boolean;
  /** Also used by other resources (a snapshot behind several AMIs): kept, and not part of this finding's cost. */
  shared?: boolean;
}

/** @deprecated name kept for the renderer: a part of a finding (see PartDto). */
export type RelatedResourceDto = PartDto;

/** Near-misses of the protection tag on a resource: keys that look like it but do not protect. */
export interface TagNearMissDto {
  key: string;
  value: string;
  /** Why it does not count, e.g. "differs from cloud-cleaner:keep by punctuation". */
  why: string;
}

export interface ResourceDetailDto extends ResourceDto {
  related: PartDto[];
  /** Tags that look like the protection tag but are not it (so do not protect). */
  protectionNearMisses: TagNearMissDto[];
}
