/**
 * An AWS Organization in the simulator: the management account (the simulator's own account, `sim.state`) and its
 * member accounts, each ACTIVE member with its own SimAccount (regions, resources, costs, roles). Every account of the
 * organization shares one SimSessionStore, so an AssumeRole session issued for a member is recognised wherever it is
 * used; server.ts runs a request signed with a member's session against that member's SimAccount.
 */
import type { AccountFixture, OrgAccountStatus, OrganizationFixture, RoleFixture } from './fixture';
import { resolveFixture } from './resolve-fixture';
import type { SimAccount } from './state';

const DAY_MS = 86_400_000;

/** The role AWS creates in an account made in the organization, trusting the management account. */
export const ORGANIZATION_ACCESS_ROLE = 'OrganizationAccountAccessRole';

/** One account as ListAccounts describes it. */
export interface SimOrgAccount {
  accountId: string;
  /** `arn:aws:organizations::<management>:account/<org-id>/<accountId>` */
  arn: string;
  email: string;
  name: string;
  status: OrgAccountStatus;
  joinedMethod: 'INVITED' | 'CREATED';
  joinedTimestamp: Date;
  /** The account's own simulated state: the management account's, or an ACTIVE member's; null for a suspended one. */
  account: SimAccount | null;
}

export class SimOrganization {
  /** `arn:aws:organizations::<management>:organization/<id>` */
  readonly arn: string;
  private readonly byId = new Map<string, SimOrgAccount>();

  constructor(
    /** `o-` + 10 lowercase letters or digits. */
    readonly id: string,
    readonly managementAccountId: string,
    /** Every account, the management account first (ListAccounts lists it too), then the members in fixture order. */
    readonly accounts: readonly SimOrgAccount[],
  ) {
    this.arn = `arn:aws:organizations::${managementAccountId}:organization/${id}`;
    for (const a of accounts) this.byId.set(a.accountId, a);
  }

  get management(): SimOrgAccount {
    const m = this.byId.get(this.managementAccountId);
    if (!m) throw new Error(`organization ${this.id}: no management account`);
    return m;
  }

  get(accountId: string): SimOrgAccount | undefined {
    return this.byId.get(accountId);
  }

  /** The member accounts (not the management account), ACTIVE and SUSPENDED. */
  members(): SimOrgAccount[] {
    return this.accounts.filter((a) => a.accountId !== this.managementAccountId);
  }

  /** The SimAccounts of the ACTIVE members. */
  memberAccounts(): SimAccount[] {
    return this.members().flatMap((a) => (a.status === 'ACTIVE' && a.account ? [a.account] : []));
  }

  /** The SimAccount answering for `accountId`: the management account's or an ACTIVE member's; undefined otherwise. */
  activeAccount(accountId: string): SimAccount | undefined {
    const a = this.byId.get(accountId);
    return a?.status === 'ACTIVE' ? (a.account ?? undefined) : undefined;
  }

  accountArn(accountId: string): string {
    return `arn:aws:organizations::${this.managementAccountId}:account/${this.id}/${accountId}`;
  }
}

/**
 * Builds the organization `fx` around `management` (already resolved): each ACTIVE member's account is resolved with
 * the same clock and session store, its roles defaulting to OrganizationAccountAccessRole trusting the management
 * account. Sets `organization` on every account.
 */
export function resolveOrganization(management: SimAccount, fx: OrganizationFixture, now: Date): SimOrganization {
  if (!/^o-[a-z0-9]{10,32}$/.test(fx.id)) throw new Error(`organization: id '${fx.id}' is not o- followed by 10 to 32 lowercase letters or digits`);
  const mgmtId = management.accountId;
  const accountArn = (id: string): string => `arn:aws:organizations::${mgmtId}:account/${fx.id}/${id}`;
  const accounts: SimOrgAccount[] = [
    {
      accountId: mgmtId,
      arn: accountArn(mgmtId),
      email: fx.managementEmail ?? 'aws+management@example.com',
      name: fx.managementName ?? management.alias ?? 'Management',
      status: 'ACTIVE',
      joinedMethod: 'CREATED',
      joinedTimestamp: new Date(now.getTime() - (fx.createdDaysAgo ?? 730) * DAY_MS),
      account: management,
    },
  ];
  const seen = new Set([mgmtId]);
  for (const m of fx.members) {
    if (!/^\d{12}$/.test(m.accountId)) throw new Error(`organization: member id '${m.accountId}' is not 12 digits`);
    if (seen.has(m.accountId)) throw new Error(`organization: account ${m.accountId} listed twice`);
    seen.add(m.accountId);
    if (m.status === 'SUSPENDED' && m.account) throw new Error(`organization: suspended member ${m.accountId} cannot have an account to serve`);
    let account: SimAccount | null = null;
    if (m.status === 'ACTIVE') {
      const own = m.account ?? { regions: [{ name: 'us-east-1' }] };
      const roles: RoleFixture[] = (own.roles ?? [{ name: ORGANIZATION_ACCESS_ROLE }]).map((r) => ({ ...r, trustedAccountIds: r.trustedAccountIds ?? [mgmtId] }));
      const memberFx: AccountFixture = { ...own, accountId: m.accountId, roles, arn: own.arn ?? `arn:aws:iam::${m.accountId}:root` };
      account = resolveFixture(memberFx, now, management.sessionStore);
    }
    accounts.push({
      accountId: m.accountId,
      arn: accountArn(m.accountId),
      email: m.email,
      name: m.name,
      status: m.status,
      joinedMethod: m.joinedMethod ?? 'CREATED',
      joinedTimestamp: new Date(now.getTime() - (m.joinedDaysAgo ?? 365) * DAY_MS),
      account,
    });
  }
  const org = new SimOrganization(fx.id, mgmtId, accounts);
  for (const a of accounts) if (a.account) a.account.organization = org;
  return org;
}
