import type { FindingsFilter } from '../../../../shared/dto/findings';
import type { FilterState } from './findings-filters';
import type { SortState } from './findings-table';

/** The UI filter as the API's: empty choices are left out so equal filters share one cache key. */
export function toApiFilter(f: FilterState, search: string, sort: SortState): FindingsFilter {
  const out: FindingsFilter = { sort };
  if (f.serviceCodes.length) out.serviceCodes = f.serviceCodes;
  if (f.types.length) out.types = f.types;
  if (f.regions.length) out.regions = f.regions;
  if (f.reasons.length) out.reasons = f.reasons;
  if (f.protection !== 'all') out.protected = f.protection === 'protected';
  if (f.ignored !== 'exclude') out.ignored = f.ignored;
  if (f.minMonthlyCost !== null && f.minMonthlyCost > 0) out.minMonthlyCost = f.minMonthlyCost;
  if (f.minAgeDays !== null && f.minAgeDays > 0) out.minAgeDays = Math.floor(f.minAgeDays);
  const s = search.trim();
  if (s) out.search = s.slice(0, 200);
  return out;
}
