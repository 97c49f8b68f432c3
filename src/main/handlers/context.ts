/**
 * The one builder of handler contexts, shared by the scanner, the cleanup, the CLI and the benchmark: clients come by
 * service from the factory (`ctx.client(EC2Client)`), never as a field per service.
 */
import type { Destroyable, RegionClients, SdkClientClass } from '../aws/clients';
import type { RegionMetrics } from '../metrics/engine';
import type { RegionPrices } from '../pricing/types';
import type { HandlerContext, HandlerSettings } from './handler';
import type { RegionInventory } from './region-inventory';

export interface HandlerContextInput {
  region: string;
  accountId: string;
  clients: RegionClients;
  prices: RegionPrices | null;
  settings: HandlerSettings;
  now: Date;
  signal?: AbortSignal;
  pageSize?: number;
  inventory?: RegionInventory;
  metrics?: RegionMetrics;
}

export function createHandlerContext(i: HandlerContextInput): HandlerContext {
  const { clients, region } = i;
  return {
    region,
    accountId: i.accountId,
    client: <C extends Destroyable>(ctor: SdkClientClass<C>): C => clients.client(ctor, region),
    prices: i.prices,
    settings: i.settings,
    now: i.now,
    ...(i.signal ? { signal: i.signal } : {}),
    ...(i.pageSize ? { pageSize: i.pageSize } : {}),
    ...(i.inventory ? { inventory: i.inventory } : {}),
    ...(i.metrics ? { metrics: i.metrics } : {}),
  };
}
