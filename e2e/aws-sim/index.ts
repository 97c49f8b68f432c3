/**
 * Local AWS simulator for tests, benchmarks and demos (never shipped in the app). Real SDK v3 clients talk to it
 * with `endpoint: sim.endpoint` and explicit credentials; see README.md.
 */
import type { AddressInfo } from 'node:net';
import { Counters } from './counters';
import type { RequestCounts } from './counters';
import { FaultInjector } from './faults';
import type { Faults } from './faults';
import type { AccountFixture } from './fixture';
import { fileURLToPath } from 'node:url';
import { loadFixture, resolveFixture } from './resolve-fixture';
import { createSimServer } from './server';
import type { SimOptions } from './server';
import { createServiceRegistry, defaultServices } from './services';
import type { SimService } from './services';
import type { SimAccount } from './state';

export type { AccountFixture } from './fixture';
export type * from './fixture';
export type { Faults, CostExplorerFault } from './faults';
export type { RequestCounts } from './counters';
export type { SimOptions } from './server';
export type { SimService, ServiceRegistry } from './services';
export { createServiceRegistry, registerService, BUILT_IN_SERVICES } from './services';
export { SimAccount, SimRegion } from './state';
export type * from './state';
export { loadFixture, resolveFixture, userInitiatedReason } from './resolve-fixture';
export { generateAccount } from './generator';
export type { GenerateOptions, GeneratedAccount, UnusedResource, UnusedResourceType } from './generator';

/** fixtures/sample-account.json (read at runtime: JSON is not part of the TypeScript project). */
export const SAMPLE_ACCOUNT_PATH = fileURLToPath(new URL('./fixtures/sample-account.json', import.meta.url));

export function loadSampleAccount(): Promise<AccountFixture> {
  return loadFixture(SAMPLE_ACCOUNT_PATH);
}

export interface StartOptions {
  /** The account; default: fixtures/sample-account.json. */
  fixture?: AccountFixture;
  /** Default 0: a port chosen by the OS. */
  port?: number;
  faults?: Faults;
  /** The clock the fixture's relative ages are resolved against; default: the current time. */
  now?: Date;
  /** Cost Explorer groups per page before NextPageToken (default 1,000). */
  ceMaxGroupsPerPage?: number;
  /** CreateSnapshot → completed after this many ms (default 0: at the next Describe). */
  snapshotCompletionDelayMs?: number;
  /** Extra services for this simulator only, beside the default registry's (see services/index.ts). */
  services?: readonly SimService[];
}

export interface Simulator {
  endpoint: string;
  port: number;
  /** The live simulated account: `state.region('us-east-1').volumes`, `state.costs`, … */
  state: SimAccount;
  close(): Promise<void>;
  /** Replaces the active faults (`{}` clears them) and reseeds the PRNG. */
  setFaults(f: Faults): void;
  faults(): Faults;
  /** Changes simulator options at runtime. */
  configure(o: Partial<SimOptions>): void;
  counts(): RequestCounts;
  resetCounts(): void;
}

export async function startSimulator(opts: StartOptions = {}): Promise<Simulator> {
  const state = resolveFixture(opts.fixture ?? (await loadSampleAccount()), opts.now ?? new Date());
  const faults = new FaultInjector(opts.faults ?? {});
  const counters = new Counters();
  const options: SimOptions = {
    ceMaxGroupsPerPage: opts.ceMaxGroupsPerPage ?? 1000,
    snapshotCompletionDelayMs: opts.snapshotCompletionDelayMs ?? 0,
  };
  const services = opts.services?.length ? createServiceRegistry([...defaultServices.list(), ...opts.services]) : defaultServices;
  const server = createSimServer({ account: state, faults, counters, options, services });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // SDK clients keep connections alive
      }),
    setFaults: (f) => faults.set(f),
    faults: () => faults.get(),
    configure: (o) => Object.assign(options, o),
    counts: () => counters.snapshot(),
    resetCounts: () => counters.reset(),
  };
}
