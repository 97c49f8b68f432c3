/**
 * Services the account pays for (Cost Explorer discovery). ServiceDto is re-exported by src/main/db/repos/services.ts;
 * DiscoveryResultDto mirrors main's DiscoveryResult.
 */
import { z } from 'zod';
import type { AppErrorDto } from '../errors';
import { pageSchema, regionSchema, shortText } from './common';
import type { FindingsPage } from './findings';

export interface ServiceDto {
  id: number;
  accountId: string;
  /** Stable code (price-list code, or `ce:<slug>` for names the catalog does not know). */
  code: string;
  displayName: string;
  category: string;
  active: boolean;
  periodCost: number;
  /** The exact decimal sum behind periodCost. */
  periodCostText: string;
  periodStart: string | null;
  /** Exclusive. */
  periodEnd: string | null;
  firstSeen: string;
  lastSeen: string;
  /** Resource types (main's ResourceType) whose handlers look for this service's resources. */
  handlerTypes: string[];
  covered: boolean;
  /**
   * The bill cross-check: what the active findings billed under this service cost per month, against the service's
   * actual monthly run-rate from Cost Explorer. Null before a discovery or when no finding bills under it.
   */
  reconciliation: ServiceReconciliationDto | null;
}

export interface ServiceReconciliationDto {
  /** Known monthly cost of the active unused findings (and their parts) billed under this service. */
  findingsMonthlyCost: number;
  /** periodCost scaled to a 730-hour month. */
  monthlyRunRate: number;
  /** The estimate exceeds the spend: prices or definitions may be off. */
  exceedsSpend: boolean;
}

export interface ServiceSummaryDto extends ServiceDto {
  /** periodCost / total of the listed period, 0..1. */
  share: number;
}

export interface CostPeriodDto {
  /** Inclusive, YYYY-MM-DD. */
  start: string;
  /** Exclusive, YYYY-MM-DD. */
  end: string;
}

export interface ServiceListDto {
  services: ServiceSummaryDto[];
  totalCost: number;
  /** null before the first discovery. */
  period: CostPeriodDto | null;
}

export type DiscoveryStatus = 'succeeded' | 'failed' | 'cached';

export interface DiscoveryResultDto {
  scanId: number;
  status: DiscoveryStatus;
  fromCache: boolean;
  /** Paid Cost Explorer requests made by this call ($0.01 each). */
  requests: number;
  services: ServiceDto[];
  totalCost: number;
  totalCostText: string;
  period: CostPeriodDto;
  error?: AppErrorDto;
}

export const discoveryRefreshInput = z.strictObject({ force: z.boolean().optional() }).optional();

export const servicesListInput = z.strictObject({ activeOnly: z.boolean().default(true) });

export const serviceResourcesInput = z.strictObject({
  serviceCode: shortText,
  region: regionSchema.optional(),
  unusedOnly: z.boolean().default(true),
  ...pageSchema(100, 1000),
});

export interface ServiceResourcesDto extends FindingsPage {
  serviceCode: string;
  /** Resource types the app can inspect for this service; empty = not covered yet. */
  handlerTypes: string[];
}
