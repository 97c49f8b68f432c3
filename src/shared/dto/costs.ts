/**
 * Daily cost history and the Cost Explorer bill of the app itself. CostHistoryPointDto / DailyCostTotalDto are
 * re-exported (as CostHistoryPoint / DailyCostTotal) by src/main/db/repos/cost-history.ts.
 */
import { z } from 'zod';
import { daySchema, shortText } from './common';

export const costHistoryInput = z
  .strictObject({
    /** Inclusive; default: the start of the discovery period. */
    from: daySchema.optional(),
    /** Exclusive; default: today (UTC). */
    to: daySchema.optional(),
    serviceCodes: z.array(shortText).max(500).optional(),
  })
  .optional();

export interface CostHistoryPointDto {
  serviceCode: string;
  displayName: string;
  date: string;
  cost: number;
  costText: string;
  usageQuantity: number | null;
  usageUnit: string | null;
  estimated: boolean;
}

export interface DailyCostTotalDto {
  date: string;
  /** Sum over the services that had a row that day. */
  cost: number;
  costText: string;
  /** Any of the day's amounts may still change. */
  estimated: boolean;
  services: number;
}

export interface CostHistoryDto {
  from: string;
  to: string;
  /** Daily rows per service, by date then highest cost. */
  rows: CostHistoryPointDto[];
  /** One row per day. */
  totals: DailyCostTotalDto[];
}

export interface CeUsageDto {
  today: number;
  last30Days: number;
  total: number;
  /** total × $0.01. */
  costUsd: number;
}
