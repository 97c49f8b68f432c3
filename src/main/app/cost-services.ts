/** What the account spends on: Cost Explorer discovery, the services list with coverage and the bill cross-check. */
import { getCeRequestStats } from '../db/repos/ce-requests';
import { getCostHistory, getDailyCostTotals } from '../db/repos/cost-history';
import { listFindings } from '../db/repos/resources';
import { listServices } from '../db/repos/services';
import { discover } from '../discovery/discovery';
import { coverageOf } from '../handlers/registry';
import type { AppServices } from '../ipc/app-services';
import type { AppState } from './app-state';
import { NO_SAVINGS } from './resource-detail';
import { loadSettings } from './settings';

export type CostServices = Pick<AppServices, 'discoveryRefresh' | 'servicesList' | 'servicesResources' | 'costsHistory' | 'costsCeUsage'>;

export function costServices(st: AppState): CostServices {
  const { db, events, registry } = st;
  return {
    async discoveryRefresh(input) {
      const s = st.requireSession();
      const settings = await loadSettings(db);
      const result = await discover(
        { db, ce: () => s.clients.costExplorer(), accountId: s.account.id, coverage: coverageOf(registry) },
        { force: input?.force ?? false, lookbackDays: settings.lookbackDays, minCost: settings.minServiceCost, cacheHours: settings.ceCacheHours },
      );
      events.emit('discovery:done', result);
      return result;
    },

    async servicesList({ activeOnly }) {
      const s = st.requireSession();
      const list = await listServices(db.db, { accountId: s.account.id, activeOnly, coverage: coverageOf(registry) });
      const total = list.filter((x) => x.active).reduce((sum, x) => sum + x.periodCost, 0);
      const first = list.find((x) => x.periodStart && x.periodEnd);
      return {
        services: list.map((x) => ({ ...x, share: total > 0 && x.active ? x.periodCost / total : 0 })),
        totalCost: total,
        period: first ? { start: first.periodStart!, end: first.periodEnd! } : null,
      };
    },

    async servicesResources({ serviceCode, region, unusedOnly, limit, offset }) {
      const s = st.requireSession();
      const handlerTypes = coverageOf(registry)(serviceCode);
      if (handlerTypes.length === 0) {
        return { serviceCode, handlerTypes, rows: [], total: 0, totalMonthlyCost: 0, unknownCostCount: 0, savings: NO_SAVINGS, limit, offset };
      }
      const page = await listFindings(db.db, {
        accountId: s.account.id,
        resourceTypes: handlerTypes,
        ...(region ? { regions: [region] } : {}),
        unusedOnly,
        limit,
        offset,
      });
      return { serviceCode, handlerTypes, ...page };
    },

    async costsHistory(input) {
      const s = st.requireSession();
      const settings = await loadSettings(db);
      const to = input?.to ?? new Date().toISOString().slice(0, 10);
      const from = input?.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - settings.lookbackDays * 86_400_000).toISOString().slice(0, 10);
      const q = { accountId: s.account.id, from, to, ...(input?.serviceCodes ? { serviceCodes: input.serviceCodes } : {}) };
      const [rows, totals] = await Promise.all([getCostHistory(db.db, q), getDailyCostTotals(db.db, q)]);
      return { from, to, rows, totals };
    },

    async costsCeUsage() {
      const s = st.requireSession();
      return getCeRequestStats(db.db, s.account.id);
    },
  };
}
