/**
 * Test support: a simulator + a migrated in-memory database + a client factory pointed at the simulator through the
 * standard endpoint setting (AWS_ENDPOINT_URL), exactly as a user would point the app at an emulator.
 */
import path from 'node:path';
import { startSimulator, type Simulator, type StartOptions } from '../../../e2e/aws-sim/index';
import { createClientFactory, type ClientFactory } from '../aws/clients';
import { ENVIRONMENT_PROFILE } from '../aws/types';
import type { DbHandle } from '../db/connection';
import { openMemoryDatabase } from '../db/database';
import { upsertAccount } from '../db/repos/accounts';
import { registerBuiltinHandlers } from '../handlers/builtin';
import { createHandlerRegistry, priceKeysOf, type HandlerRegistry } from '../handlers/registry';
import { createBundledPriceBook } from '../pricing/price-book';
import { DEFAULT_SCAN_SETTINGS, type ScanDeps } from '../scan/scanner';
import type { RegionWorkerConfig } from '../scan/region-pool';

/** The region worker's source: tests run it through tsx (region-pool.ts). */
export const REGION_WORKER_SOURCE = path.resolve(__dirname, '../scan/region-worker.ts');

export interface SimSession {
  sim: Simulator;
  db: DbHandle;
  clients: ClientFactory;
  registry: HandlerRegistry;
  accountId: string;
  scanDeps(over?: Partial<ScanDeps>): ScanDeps;
  /** Region workers for this session (the worker's TypeScript source, run through tsx). */
  workers(over?: Partial<RegionWorkerConfig>): RegionWorkerConfig;
  close(): Promise<void>;
}

export async function openSimSession(opts: StartOptions = {}): Promise<SimSession> {
  const sim = await startSimulator(opts);
  const saved = { endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION };
  process.env.AWS_ENDPOINT_URL = sim.endpoint;
  process.env.AWS_REGION = 'us-east-1';
  const clients = await createClientFactory({
    profile: ENVIRONMENT_PROFILE,
    credentials: async () => ({ accessKeyId: 'AKIDSIMTEST', secretAccessKey: 'sim-secret-for-tests' }),
    maxAttemptsEc2: 10,
  });
  const db = await openMemoryDatabase();
  const accountId = sim.state.accountId;
  await upsertAccount(db.db, { id: accountId, alias: null, partition: 'aws', arn: null, profile: 'sim' });
  const registry = createHandlerRegistry();
  registerBuiltinHandlers(registry);
  const prices = createBundledPriceBook(priceKeysOf(registry));
  return {
    sim,
    db,
    clients,
    registry,
    accountId,
    scanDeps: (over = {}) => ({
      db,
      accountId,
      clients,
      costExplorer: () => clients.costExplorer(),
      homeRegion: 'us-east-1',
      registry,
      prices,
      settings: { ...DEFAULT_SCAN_SETTINGS, stoppedInstanceDays: 30, protectionTagKey: 'cloud-cleaner:keep' },
      ...over,
    }),
    workers: (over = {}) => ({
      script: REGION_WORKER_SOURCE,
      clients: clients.replica,
      ...over,
    }),
    async close() {
      clients.destroy();
      await db.close();
      await sim.close();
      if (saved.endpoint === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved.endpoint;
      if (saved.region === undefined) delete process.env.AWS_REGION;
      else process.env.AWS_REGION = saved.region;
    },
  };
}
