import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect';

/**
 * 0009 — many accounts (issue #20). FROZEN (see migrations/index.ts).
 *
 * A profile's own account (the "home" account) may reach other accounts by assuming a role in each: the accounts of
 * its AWS Organization (ListAccounts) or accounts the user adds by hand. Each reached account has its own `accounts`
 * row and keeps all its data under it, as a single profile's account does; these tables only say which accounts a
 * home account reaches and how.
 * - `org_homes`: per home account, the default role and the last listing (when, or why it failed);
 * - `org_accounts`: the accounts listed or added, with a per-account role override and the last failure to reach it
 *   (cleared by the next success). Only ACTIVE organization accounts are kept: a listing replaces the previous one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const d = dialectOf(db);
  await sql`
    CREATE TABLE org_homes (
      home_account_id   TEXT PRIMARY KEY NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      default_role_name TEXT NOT NULL,
      organization_id   TEXT,
      listed_at         TEXT,
      list_error_code   TEXT,
      list_error        TEXT,
      list_error_at     TEXT
    )${d.strict}`.execute(db);
  await sql`
    CREATE TABLE org_accounts (
      home_account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      account_id      TEXT NOT NULL CHECK (length(account_id) = 12 AND ${d.digitsOnly('account_id')}),
      name            TEXT,
      email           TEXT,
      source          TEXT NOT NULL CHECK (source IN ('organization', 'manual')),
      role_name       TEXT,
      listed_at       TEXT,
      last_error_code TEXT,
      last_error      TEXT,
      last_error_at   TEXT,
      created_at      TEXT NOT NULL,
      PRIMARY KEY (home_account_id, account_id),
      CHECK (account_id <> home_account_id)
    )${d.strict}`.execute(db);
}
