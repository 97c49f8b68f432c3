/**
 * Local AWS simulator for tests, benchmarks and demos (never shipped in the app). Real SDK v3 clients talk to it
 * with `endpoint: sim.endpoint` and explicit credentials; see README.md.
 */
import type { AddressInfo } from 'node:net';
import { Counters } from './counters';
import type { RequestCounts } from './counters';
import { FaultInjector } from './faults';
import type { Faults } from './faults';
import type { AccountFixture, OrganizationFixture } from './fixture';
import { fileURLToPath } from 'node:url';
import { SAMPLE_ORGANIZATION_FIXTURE } from './fixtures/sample-organization';
import type { UnusedResource } from './generator';
import { ORGANIZATION_ACCESS_ROLE, resolveOrganization } from './org-state';
import type { SimOrganization } from './org-state';
import { unusedByDefinition } from './unused-oracle';
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
export { SimAccount, SimRegion, SimSessionStore } from './state';
export { SimOrganization, ORGANIZATION_ACCESS_ROLE } from './org-state';
export type { SimOrgAccount } from './org-state';
export { SAMPLE_ORGANIZATION_FIXTURE } from './fixtures/sample-organization';
export { unusedByDefinition } from './unused-oracle';
export type * from './state';
export { loadFixture, resolveFixture, userInitiatedReason } from './resolve-fixture';
export { generateAccount } from './generator';
export type { GenerateOptions, GeneratedAccount, UnusedResource, UnusedResourceType } from './generator';

/** fixtures/sample-account.json (read at runtime: JSON is not part of the TypeScript project). */
export const SAMPLE_ACCOUNT_PATH = fileURLToPath(new URL('./fixtures/sample-account.json', import.meta.url));

export function loadSampleAccount(): Promise<AccountFixture> {
  return loadFixture(SAMPLE_ACCOUNT_PATH);
}

/** How a member of the sample organization answers AssumeRole of OrganizationAccountAccessRole from the management account. */
export type SampleMemberAccess = 'ok' | 'missing-role' | 'mfa' | 'suspended';

export interface SampleOrganizationMember {
  accountId: string;
  name: string;
  email: string;
  status: 'ACTIVE' | 'SUSPENDED';
  access: SampleMemberAccess;
}

export interface SampleOrganization {
  id: string;
  managementAccountId: string;
  managementName: string;
  /** The role every member is reached by (`arn:aws:iam::<member>:role/OrganizationAccountAccessRole`). */
  roleName: string;
  /** The members, in ListAccounts order (which lists the management account first, before them). */
  members: readonly SampleOrganizationMember[];
}

function accessOf(m: OrganizationFixture['members'][number]): SampleMemberAccess {
  if (m.status === 'SUSPENDED') return 'suspended';
  const role = (m.account?.roles ?? [{ name: ORGANIZATION_ACCESS_ROLE }]).find((r) => r.name === ORGANIZATION_ACCESS_ROLE);
  if (!role) return 'missing-role';
  return role.requireMfa ? 'mfa' : 'ok';
}

/**
 * What `startSimulator()` (no fixture) serves besides the sample account, its management account: see
 * fixtures/sample-organization.ts. The members' expected unused resources: `sim.unusedOf(accountId)`.
 */
export const SAMPLE_ORGANIZATION: SampleOrganization = {
  id: SAMPLE_ORGANIZATION_FIXTURE.id,
  managementAccountId: '123456789012',
  managementName: SAMPLE_ORGANIZATION_FIXTURE.managementName ?? 'Acme Sandbox',
  roleName: ORGANIZATION_ACCESS_ROLE,
  members: SAMPLE_ORGANIZATION_FIXTURE.members.map((m) => ({ accountId: m.accountId, name: m.name, email: m.email, status: m.status, access: accessOf(m) })),
};

export interface StartOptions {
  /** The account; default: fixtures/sample-account.json (the management account of the sample organization). */
  fixture?: AccountFixture;
  /**
   * The organization the account manages. Default: the fixture's own `organization`, or without a fixture the sample
   * organization (SAMPLE_ORGANIZATION). `false`: none (Organizations answers AWSOrganizationsNotInUseException).
   */
  organization?: OrganizationFixture | false;
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
  /** The live simulated account (the organization's management account): `state.region('us-east-1').volumes`, `state.costs`, … */
  state: SimAccount;
  /** The organization `state` manages, or null. */
  organization: SimOrganization | null;
  /** The SimAccount answering for `accountId`: `state`'s own id, or an ACTIVE member's; undefined otherwise. */
  account(accountId: string): SimAccount | undefined;
  /** What the app should find unused in that account (the oracle, unused-oracle.ts, on its own state); [] when unknown. */
  unusedOf(accountId: string): UnusedResource[];
  /** Test-only: expires the AssumeRole sessions issued for `accountId` (all when omitted); their calls → ExpiredToken. */
  expireSessions(accountId?: string): number;
  close(): Promise<void>;
  /** Replaces the active faults (`{}` clears them) and reseeds the PRNG. */
  setFaults(f: Faults): void;
  faults(): Faults;
  /** Changes simulator options at runtime. */
  configure(o: Partial<SimOptions>): void;
  /** Every request, all accounts together. */
  counts(): RequestCounts;
  /** The same per account a request ran against: `{ [accountId]: RequestCounts }` (reset with resetCounts). */
  countsByAccount(): Record<string, RequestCounts>;
  resetCounts(): void;
}

export async function startSimulator(opts: StartOptions = {}): Promise<Simulator> {
  const now = opts.now ?? new Date();
  const fixture = opts.fixture ?? (await loadSampleAccount());
  const state = resolveFixture(fixture, now);
  const orgFixture = opts.organization ?? (opts.fixture ? opts.fixture.organization : SAMPLE_ORGANIZATION_FIXTURE);
  const organization = orgFixture ? resolveOrganization(state, orgFixture, now) : null;
  const accountOf = (id: string): SimAccount | undefined => (id === state.accountId ? state : organization?.activeAccount(id));
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
    organization,
    account: accountOf,
    unusedOf: (id) => {
      const a = accountOf(id);
      return a ? unusedByDefinition(a) : [];
    },
    expireSessions: (id) => state.expireSessions(id),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // SDK clients keep connections alive
      }),
    setFaults: (f) => faults.set(f),
    faults: () => faults.get(),
    configure: (o) => Object.assign(options, o),
    counts: () => counters.snapshot(),
    countsByAccount: () => counters.byAccount(),
    resetCounts: () => counters.reset(),
  };
}
