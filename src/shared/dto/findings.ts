/** Stored resources ("findings" when unused). ResourceDto / FindingsPage are re-exported by src/main/db/repos/resources.ts. */
import { z } from 'zod';
import { idSchema, regionSchema, shortText } from './common';

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
  /** USD per month; null = unknown (never $0). */
  monthlyCost: number | null;
  costBasis: string;
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
}

export interface FindingsPage {
  rows: ResourceDto[];
  /** Rows matching the filter (all pages). */
  total: number;
  /** Sum of known monthly costs matching the filter. */
  totalMonthlyCost: number;
  /** Matching rows whose cost is unknown. */
  unknownCostCount: number;
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
  reasons: string[];
}

export const resourceGetInput = z.strictObject({ id: idSchema });

/** A resource that goes with a finding when it is deleted (or explicitly stays). Mirrors RelatedResource. */
export interface RelatedResourceDto {
  resourceType: string;
  resourceId: string;
  fate: 'deleted' | 'kept';
  note: string;
}

export interface ResourceDetailDto extends ResourceDto {
  related: RelatedResourceDto[];
}
