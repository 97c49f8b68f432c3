/**
 * react-query keys. Everything account-scoped starts with the account id so switching profile never shows another
 * account's cached data; invalidating a prefix (e.g. ['findings']) refreshes every page and total under it.
 */
import type { FindingsFilter } from '../../../shared/dto/findings';

export const queryKeys = {
  session: ['session'] as const,
  profiles: ['profiles'] as const,
  settings: ['settings'] as const,
  /** The resource kinds the app knows (handlers:list): the same for every account, fixed for the app's lifetime. */
  kinds: ['kinds'] as const,
  regions: (accountId: string) => ['regions', accountId] as const,
  discovery: (accountId: string) => ['discovery', accountId] as const,
  /** Services carry the bill reconciliation, computed from the findings: a scan or a cleanup invalidates them. */
  servicesRoot: ['services'] as const,
  services: (accountId: string) => ['services', accountId] as const,
  costHistory: (accountId: string) => ['cost-history', accountId] as const,
  ceUsage: ['ce-usage'] as const,
  findingsRoot: ['findings'] as const,
  findingsPage: (accountId: string, filter: FindingsFilter, page: number, pageSize: number) =>
    ['findings', accountId, 'page', filter, page, pageSize] as const,
  findingsTotals: (accountId: string) => ['findings', accountId, 'totals'] as const,
  facets: (accountId: string) => ['findings', accountId, 'facets'] as const,
  wasteSummary: (accountId: string) => ['findings', accountId, 'waste'] as const,
  resource: (id: number) => ['findings', 'resource', id] as const,
  scansRoot: ['scans'] as const,
  scans: (accountId: string) => ['scans', accountId] as const,
  scan: (scanId: number) => ['scans', 'detail', scanId] as const,
  runsElsewhere: (accountId: string) => ['scans', accountId, 'elsewhere'] as const,
  deletionsRoot: ['deletions'] as const,
  deletions: (accountId: string, planId: string | null, page: number) => ['deletions', accountId, planId, page] as const,
  /** The deletion history by plan (a page of plans), and the calls of one plan opened in it. */
  deletionPlans: (accountId: string, page: number) => ['deletions', accountId, 'plans', page] as const,
  deletionPlanCalls: (accountId: string, planId: string) => ['deletions', accountId, 'plan-calls', planId] as const,
};
