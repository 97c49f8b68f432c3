/**
 * Test support for the cleanup (not shipped): a simulated account (e2e/aws-sim) scanned by the real handlers into
 * a real database, and real EC2 clients pointed at the simulator (127.0.0.1 only, explicit test credentials).
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { startSimulator } from '../../../e2e/aws-sim/index';
import type { Faults, Simulator } from '../../../e2e/aws-sim/index';
import { openAndMigrate } from '../db/database';
import type { DbHandle } from '../db/connection';
import { upsertAccount } from '../db/repos/accounts';
import { ResourceWriter } from '../db/repos/resources';
import type { DeletionRow } from '../db/schema';
import { orphanedSnapshotsHandler } from '../handlers/ec2-snapshots-orphaned';
import { idleElasticIpsHandler } from '../handlers/ec2-elastic-ips-idle';
import { unusedImagesHandler } from '../handlers/ec2-images-unused';
import { stoppedInstancesHandler } from '../handlers/ec2-instances-stopped';
import { createUnattachedVolumesHandler } from '../handlers/ec2-volumes-unattached';
import type { Destroyable, RegionClients, SdkClientClass } from '../aws/clients';
import { createHandlerContext } from '../handlers/context';
import { DEFAULT_HANDLER_SETTINGS, NoClientError } from '../handlers/handler';
import type { ResourceType } from '../handlers/handler';
import { applyParts } from '../handlers/parts';
import { createHandlerRegistry, priceKeysOf } from '../handlers/registry';
import type { HandlerRegistry } from '../handlers/registry';
import { createBundledPriceBook } from '../pricing/price-book';
import type { RunPlanDeps } from './types';

/** The sample fixture's account and the regions it has resources in. */
export const ACCOUNT = '123456789012';
export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-northeast-1'] as const;
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } as const;

/** The EC2 calls that change something (what a wrong confirmation must never send). */
export const MUTATING_OPERATIONS = [
  'ec2:TerminateInstances',
  'ec2:DeregisterImage',
  'ec2:DeleteSnapshot',
  'ec2:DeleteVolume',
  'ec2:ReleaseAddress',
  'ec2:CreateSnapshot',
  'ec2:CreateTags',
] as const;

export interface CleanupEnv {
  sim: Simulator;
  h: DbHandle;
  registry: HandlerRegistry;
  ec2: (region: string) => EC2Client;
  deps(over?: Partial<RunPlanDeps>): RunPlanDeps;
  /** `resources.id` of a scanned resource. */
  idOf(resourceId: string): number;
  /** `resources.status` of a scanned resource. */
  statusOf(resourceId: string): string;
  /** The plan's audit rows, in the order they were written. */
  audit(planId: string): DeletionRow[];
  /** Mutating requests the simulator received (faulted ones included). */
  mutatingRequests(): number;
  /** SDK `send`s made by the clients (each counted once, however many attempts it took). */
  sends(): number;
  close(): Promise<void>;
}

export interface EnvOptions {
  /** A database file (default: in memory). */
  dbFile?: string;
  snapshotCompletionDelayMs?: number;
  faults?: Faults;
  /** Changes the simulated account before the scan. */
  beforeScan?: (sim: Simulator) => void;
  /**
   * Store findings without the scanner's part check (as an older version, or a scan whose check failed, would have):
   * shows that the later stages catch a protected part on their own.
   */
  withoutScanPartCheck?: boolean;
}

/** Starts a simulator on the sample account, scans its regions with every handler and stores the findings. */
export async function createCleanupEnv(o: EnvOptions = {}): Promise<CleanupEnv> {
  const sim = await startSimulator({ snapshotCompletionDelayMs: o.snapshotCompletionDelayMs ?? 0 });
  if (!sim.endpoint.startsWith('http://127.0.0.1:')) throw new Error(`refusing a non-local endpoint ${sim.endpoint}`);
  o.beforeScan?.(sim);
  const h = await openAndMigrate({ file: o.dbFile ?? ':memory:' });
  await upsertAccount(h.db, { id: ACCOUNT, alias: null, partition: 'aws', arn: null, profile: 'test' });

  const registry = createHandlerRegistry();
  registry.register(stoppedInstancesHandler);
  registry.register(unusedImagesHandler);
  registry.register(orphanedSnapshotsHandler);
  // Polls the safety snapshot quickly: the simulator completes it in milliseconds, not minutes.
  registry.register(createUnattachedVolumesHandler({ snapshotPollMs: 20, snapshotMaxWaitMs: 5_000 }));
  registry.register(idleElasticIpsHandler);

  const clients = new Map<string, EC2Client>();
  let sends = 0;
  const ec2 = (region: string): EC2Client => {
    let c = clients.get(region);
    if (c === undefined) {
      c = new EC2Client({ region, endpoint: sim.endpoint, credentials: TEST_CREDENTIALS, retryMode: 'adaptive', maxAttempts: 8 });
      // `initialize` runs once per send, before the retry loop: sends vs. requests received tells retries apart.
      c.middlewareStack.add((next) => (args) => {
        sends += 1;
        return next(args);
      }, { step: 'initialize', name: 'countSends' });
      clients.set(region, c);
    }
    return c;
  };
  // The AMI handler reads launch configurations with it; without one it (rightly) protects every candidate AMI.
  const asClients = new Map<string, AutoScalingClient>();
  const autoScaling = (region: string): AutoScalingClient => {
    let c = asClients.get(region);
    if (c === undefined) {
      c = new AutoScalingClient({ region, endpoint: sim.endpoint, credentials: TEST_CREDENTIALS, retryMode: 'adaptive', maxAttempts: 8 });
      asClients.set(region, c);
    }
    return c;
  };
  const prices = createBundledPriceBook(priceKeysOf(registry));
  const now = new Date();
  // The factory's shape: clients by service (EC2 instrumented above, Auto Scaling plain).
  const regionClients: RegionClients = {
    client: <C extends Destroyable>(ctor: SdkClientClass<C>, region: string): C => {
      if ((ctor as unknown) === EC2Client) return ec2(region) as unknown as C;
      if ((ctor as unknown) === AutoScalingClient) return autoScaling(region) as unknown as C;
      throw new NoClientError(ctor.name);
    },
  };
  const billing = (t: string): string | undefined => registry.get(t as ResourceType)?.billingServiceCode;
  const writer = new ResourceWriter(h.sqlite, ACCOUNT, (f) => registry.get(f.resourceType)?.serviceCodes[0] ?? 'unknown');
  for (const region of REGIONS) {
    for (const handler of registry.list()) {
      const ctx = createHandlerContext({ region, accountId: ACCOUNT, clients: regionClients, prices: prices.forRegion(region), settings: DEFAULT_HANDLER_SETTINGS, now });
      // As the scanner stores them: the dependency model applied (a protected part protects the finding; savings).
      for await (const page of handler.scan(ctx)) {
        writer.write(o.withoutScanPartCheck ? page : page.map((f) => applyParts(handler, f, DEFAULT_HANDLER_SETTINGS, billing)), null);
      }
    }
  }
  if (o.faults) sim.setFaults(o.faults);
  sim.resetCounts();
  sends = 0;

  const row = (resourceId: string): { id: number; status: string } => {
    const r = h.sqlite.prepare('SELECT id, status FROM resources WHERE resource_id = ?').get(resourceId) as
      | { id: number; status: string }
      | undefined;
    if (r === undefined) throw new Error(`${resourceId} was not scanned`);
    return r;
  };

  return {
    sim,
    h,
    registry,
    ec2,
    deps: (over = {}) => ({
      db: h,
      accountId: ACCOUNT,
      registry,
      clients: regionClients,
      prices,
      settings: DEFAULT_HANDLER_SETTINGS,
      // Most tests exercise one stage at a time; cleanup-dry-run-binding.test.ts turns the binding on.
      dryRunFreshnessMs: null,
      ...over,
    }),
    idOf: (id) => row(id).id,
    statusOf: (id) => row(id).status,
    audit: (planId) => h.sqlite.prepare('SELECT * FROM deletions WHERE plan_id = ? ORDER BY id').all(planId) as DeletionRow[],
    sends: () => sends,
    mutatingRequests: () => {
      const by = sim.counts().byOperation;
      return MUTATING_OPERATIONS.reduce((s, op) => s + (by[op] ?? 0), 0);
    },
    close: async () => {
      for (const c of clients.values()) c.destroy();
      for (const c of asClients.values()) c.destroy();
      await h.close();
      await sim.close();
    },
  };
}
