/**
 * The accounts a home account reaches (issue #20): its organization's ACTIVE accounts as last listed, the ones the user
 * added by hand, the role to assume in each, and the last failure to reach one. Each reached account's own data lives
 * under its own `accounts` row, as for any profile.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../../../shared/errors';
import { DEFAULT_ORG_ROLE_NAME, type OrgAccountDto } from '../../../shared/dto/org';
import type { Database, OrgAccountsTable, OrgHomesTable } from '../schema';

export interface OrgHome {
  homeAccountId: string;
  defaultRoleName: string;
  organizationId: string | null;
  listedAt: string | null;
  listError: { code: string; message: string; at: string } | null;
}

/** An account as ListAccounts names it (ACTIVE ones only are passed in). */
export interface ListedAccount {
  accountId: string;
  name: string | null;
  email: string | null;
}

function toHome(r: OrgHomesTable): OrgHome {
  return {
    homeAccountId: r.home_account_id,
    defaultRoleName: r.default_role_name,
    organizationId: r.organization_id,
    listedAt: r.listed_at,
    listError: r.list_error_code ? { code: r.list_error_code, message: r.list_error ?? '', at: r.list_error_at ?? '' } : null,
  };
}

/** The home's settings, created with the default role on first use. */
export async function orgHome(db: Kysely<Database>, homeAccountId: string): Promise<OrgHome> {
  await db
    .insertInto('org_homes')
    .values({ home_account_id: homeAccountId, default_role_name: DEFAULT_ORG_ROLE_NAME })
    .onConflict((oc) => oc.column('home_account_id').doNothing())
    .execute();
  return toHome(await db.selectFrom('org_homes').selectAll().where('home_account_id', '=', homeAccountId).executeTakeFirstOrThrow());
}

export async function setDefaultRole(db: Kysely<Database>, homeAccountId: string, roleName: string): Promise<void> {
  await orgHome(db, homeAccountId);
  await db.updateTable('org_homes').set({ default_role_name: roleName }).where('home_account_id', '=', homeAccountId).execute();
}

/** Rows per INSERT: 7 parameters each, far below SQLite's and PostgreSQL's limits. */
const ACCOUNTS_PER_STATEMENT = 1000;

/**
 * A new listing replaces the organization's accounts: new ones added, names and emails refreshed, accounts no longer
 * listed (closed, suspended, gone) removed — unless the user added them by hand too. Role overrides stay. An account
 * added by hand that the organization now lists becomes an organization account.
 */
export async function saveListing(
  db: Kysely<Database>,
  homeAccountId: string,
  listing: { organizationId: string | null; accounts: readonly ListedAccount[] },
  now = new Date().toISOString(),
): Promise<void> {
  await orgHome(db, homeAccountId);
  await db.transaction().execute(async (trx) => {
    // One row per account (the same key twice in one INSERT … ON CONFLICT is an error on PostgreSQL), sorted, so two
    // writers lock the rows in the same order; a few statements for an organization of thousands, not one per account.
    const listed = [...new Map(listing.accounts.filter((a) => a.accountId !== homeAccountId).map((a) => [a.accountId, a])).values()].sort((a, b) =>
      a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0,
    );
    for (let i = 0; i < listed.length; i += ACCOUNTS_PER_STATEMENT) {
      await trx
        .insertInto('org_accounts')
        .values(
          listed
            .slice(i, i + ACCOUNTS_PER_STATEMENT)
            .map((a) => ({ home_account_id: homeAccountId, account_id: a.accountId, name: a.name, email: a.email, source: 'organization' as const, listed_at: now, created_at: now })),
        )
        .onConflict((oc) =>
          oc.columns(['home_account_id', 'account_id']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            email: eb.ref('excluded.email'),
            source: eb.ref('excluded.source'),
            listed_at: eb.ref('excluded.listed_at'),
          })),
        )
        .execute();
    }
    let gone = trx.deleteFrom('org_accounts').where('home_account_id', '=', homeAccountId).where('source', '=', 'organization');
    if (listed.length > 0) gone = gone.where('account_id', 'not in', listed.map((a) => a.accountId));
    await gone.execute();
    await trx
      .updateTable('org_homes')
      .set({ organization_id: listing.organizationId, listed_at: now, list_error_code: null, list_error: null, list_error_at: null })
      .where('home_account_id', '=', homeAccountId)
      .execute();
  });
}

/** Why the organization could not be listed; the accounts listed before stay. */
export async function saveListingFailure(db: Kysely<Database>, homeAccountId: string, err: { code: string; message: string }, now = new Date().toISOString()): Promise<void> {
  await orgHome(db, homeAccountId);
  await db
    .updateTable('org_homes')
    .set({ list_error_code: err.code, list_error: err.message, list_error_at: now })
    .where('home_account_id', '=', homeAccountId)
    .execute();
}

/** Adds an account by hand, or sets the role (and, for a hand-added account, the name) of one already there. */
export async function saveAccount(
  db: Kysely<Database>,
  homeAccountId: string,
  a: { accountId: string; name?: string | null; roleName: string | null },
  now = new Date().toISOString(),
): Promise<void> {
  if (a.accountId === homeAccountId) {
    throw new AppError('validation', `Account ${a.accountId} is this profile's own account: it is scanned with the profile's credentials, no role is assumed.`);
  }
  const existing = await db
    .selectFrom('org_accounts')
    .select(['source'])
    .where('home_account_id', '=', homeAccountId)
    .where('account_id', '=', a.accountId)
    .executeTakeFirst();
  await orgHome(db, homeAccountId);
  if (!existing) {
    await db
      .insertInto('org_accounts')
      .values({ home_account_id: homeAccountId, account_id: a.accountId, name: a.name ?? null, email: null, source: 'manual', role_name: a.roleName, created_at: now })
      .execute();
    return;
  }
  const set: Partial<OrgAccountsTable> = { role_name: a.roleName };
  if (existing.source === 'manual' && a.name !== undefined) set.name = a.name;
  await db.updateTable('org_accounts').set(set).where('home_account_id', '=', homeAccountId).where('account_id', '=', a.accountId).execute();
}

/** Removes an account added by hand. An organization account cannot be removed (the next listing would bring it back). */
export async function removeAccount(db: Kysely<Database>, homeAccountId: string, accountId: string): Promise<void> {
  const row = await db
    .selectFrom('org_accounts')
    .select(['source'])
    .where('home_account_id', '=', homeAccountId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `Account ${accountId} is not in this profile's list.`);
  if (row.source !== 'manual') {
    throw new AppError('conflict', `Account ${accountId} comes from your AWS Organization; it leaves the list when the organization no longer lists it.`);
  }
  await db.deleteFrom('org_accounts').where('home_account_id', '=', homeAccountId).where('account_id', '=', accountId).execute();
}

/** The last failure to reach an account (null: it was reached; clears the failure). */
export async function saveAccessOutcome(
  db: Kysely<Database>,
  homeAccountId: string,
  accountId: string,
  err: { code: string; message: string } | null,
  now = new Date().toISOString(),
): Promise<void> {
  await db
    .updateTable('org_accounts')
    .set(err ? { last_error_code: err.code, last_error: err.message, last_error_at: now } : { last_error_code: null, last_error: null, last_error_at: null })
    .where('home_account_id', '=', homeAccountId)
    .where('account_id', '=', accountId)
    .execute();
}

/** The role to assume in an account: its override, else the home's default. */
export async function roleFor(db: Kysely<Database>, homeAccountId: string, accountId: string): Promise<{ roleName: string; known: boolean }> {
  const home = await orgHome(db, homeAccountId);
  const row = await db
    .selectFrom('org_accounts')
    .select(['role_name'])
    .where('home_account_id', '=', homeAccountId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return { roleName: row?.role_name ?? home.defaultRoleName, known: row !== undefined };
}

/** The home account first, then the reached accounts by name (unnamed last) and id; each with its last resource scan. */
export async function listOrgAccounts(db: Kysely<Database>, homeAccountId: string): Promise<OrgAccountDto[]> {
  const home = await orgHome(db, homeAccountId);
  const rows = await db.selectFrom('org_accounts').selectAll().where('home_account_id', '=', homeAccountId).execute();
  const homeRow = await db.selectFrom('accounts').select(['alias']).where('id', '=', homeAccountId).executeTakeFirst();
  const ids = [homeAccountId, ...rows.map((r) => r.account_id)];
  const lastScans = await lastResourceScans(db, ids);
  const out: OrgAccountDto[] = [
    {
      accountId: homeAccountId,
      name: homeRow?.alias ?? null,
      email: null,
      source: 'home',
      roleName: null,
      roleOverride: null,
      lastScan: lastScans.get(homeAccountId) ?? null,
      lastError: null,
    },
  ];
  const members = rows
    .map((r): OrgAccountDto => ({
      accountId: r.account_id,
      name: r.name,
      email: r.email,
      source: r.source,
      roleName: r.role_name ?? home.defaultRoleName,
      roleOverride: r.role_name,
      lastScan: lastScans.get(r.account_id) ?? null,
      lastError: r.last_error_code ? { code: r.last_error_code, message: r.last_error ?? '', at: r.last_error_at ?? '' } : null,
    }))
    .sort((a, b) => (a.name === null ? 1 : 0) - (b.name === null ? 1 : 0) || (a.name ?? '').localeCompare(b.name ?? '') || a.accountId.localeCompare(b.accountId));
  return [...out, ...members];
}

/** Each account's latest resource scan (one query). */
async function lastResourceScans(db: Kysely<Database>, accountIds: readonly string[]): Promise<Map<string, NonNullable<OrgAccountDto['lastScan']>>> {
  if (accountIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('scans as s')
    .select(['s.id', 's.account_id', 's.status', 's.started_at', 's.completed_at', 's.findings_count', 's.monthly_savings'])
    .where('s.kind', '=', 'resources')
    .where('s.account_id', 'in', [...accountIds])
    .where(({ eb, selectFrom }) =>
      eb(
        's.id',
        '=',
        selectFrom('scans as t')
          .select('t.id')
          .whereRef('t.account_id', '=', 's.account_id')
          .where('t.kind', '=', 'resources')
          .orderBy('t.started_at', 'desc')
          .orderBy('t.id', 'desc')
          .limit(1),
      ),
    )
    .execute();
  return new Map(
    rows.map((r) => [
      r.account_id as string,
      { scanId: r.id, status: r.status, startedAt: r.started_at, completedAt: r.completed_at, findings: r.findings_count, monthlySavings: r.monthly_savings },
    ]),
  );
}
