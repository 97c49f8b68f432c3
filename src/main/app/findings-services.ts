/** Findings: the paged, filtered list (in SQL), its filter menus, one resource with its parts, and exports. */
import { AppError } from '../../shared/errors';
import { findingFacets, getResource, listFindings, type FindingsQuery } from '../db/repos/resources';
import { wasteSummary } from '../db/repos/waste-summary';
import { catalogEntry } from '../discovery/service-catalog';
import type { AppServices } from '../ipc/app-services';
import type { AppState } from './app-state';
import { exportFindings } from './export-findings';
import { resourceDetail } from './resource-detail';

export type FindingsServices = Pick<AppServices, 'findingsList' | 'findingsFacets' | 'findingsWasteSummary' | 'resourcesGet' | 'exportFindings'>;

/** The IPC filter as the repository's query (names differ: `types` → `resourceTypes`). */
export function findingsQuery(accountId: string, f: Record<string, unknown>): FindingsQuery {
  const q = f as {
    types?: string[]; regions?: string[]; serviceCodes?: string[]; reasons?: string[]; protected?: boolean;
    minMonthlyCost?: number; minAgeDays?: number; search?: string; unusedOnly?: boolean;
    statuses?: ('active' | 'gone' | 'deleted')[]; scanId?: number; ignored?: FindingsQuery['ignored'];
    sort?: FindingsQuery['sort']; limit?: number; offset?: number;
  };
  return {
    accountId,
    ...(q.types ? { resourceTypes: q.types } : {}),
    ...(q.regions ? { regions: q.regions } : {}),
    ...(q.serviceCodes ? { serviceCodes: q.serviceCodes } : {}),
    ...(q.reasons ? { reasons: q.reasons } : {}),
    ...(q.protected !== undefined ? { protected: q.protected } : {}),
    ...(q.minMonthlyCost !== undefined ? { minMonthlyCost: q.minMonthlyCost } : {}),
    ...(q.minAgeDays !== undefined ? { minAgeDays: q.minAgeDays } : {}),
    ...(q.search !== undefined ? { search: q.search } : {}),
    ...(q.unusedOnly !== undefined ? { unusedOnly: q.unusedOnly } : {}),
    ...(q.statuses ? { statuses: q.statuses } : {}),
    ...(q.scanId !== undefined ? { scanId: q.scanId } : {}),
    ...(q.ignored !== undefined ? { ignored: q.ignored } : {}),
    ...(q.sort ? { sort: q.sort } : {}),
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
    ...(q.offset !== undefined ? { offset: q.offset } : {}),
  };
}

export function findingsServices(st: AppState): FindingsServices {
  const { db } = st;
  return {
    async findingsList(input) {
      const s = st.requireSession();
      return listFindings(db.db, findingsQuery(s.account.id, input));
    },

    async findingsFacets() {
      const s = st.requireSession();
      const f = await findingFacets(db.db, s.account.id);
      // People read services by the name Cost Explorer shows, not the price-list code.
      const serviceNames = Object.fromEntries(f.serviceCodes.map((c) => [c, catalogEntry(c)?.displayName ?? c]));
      return { ...f, serviceNames };
    },

    async findingsWasteSummary() {
      const s = st.requireSession();
      return wasteSummary(db.db, s.account.id);
    },

    async resourcesGet({ id }) {
      const s = st.requireSession();
      const r = await getResource(db.db, s.account.id, id);
      if (!r) throw new AppError('not_found', `No resource ${id} in this account.`);
      // Its parts, priced and with protection evaluated under today's settings, and near-misses of the protection tag.
      return resourceDetail(db, s.registry, r);
    },

    async exportFindings({ format, filter }) {
      const s = st.requireSession();
      return exportFindings(db.db, findingsQuery(s.account.id, filter), format);
    },
  };
}
