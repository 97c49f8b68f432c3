import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_initial';
import * as m0002 from './0002_costs_prices_plans';
import * as m0003 from './0003_item_savings';
import * as m0004 from './0004_run_owner_audit_restrict';
import * as m0005 from './0005_metrics';
import * as m0006 from './0006_reason_category';
import * as m0007 from './0007_deletions_by_plan';
import * as m0008 from './0008_snoozes';
import * as m0009 from './0009_org_accounts';
import * as m0010 from './0010_findings_search';
import * as m0011 from './0011_run_leases';
import * as m0012 from './0012_upload_origin';
import * as m0013 from './0013_team_store_speed';
import * as m0014 from './0014_search_text_lowered';

/**
 * The static, ordered list of migrations (no file-system discovery: the app is a bundle).
 * Append only. Names are stored in `kysely_migration` and must never change.
 *
 * FROZEN: a landed migration never changes the schema it creates; a change is a new migration. Its SQL may be
 * refactored only if its SQLite output stays byte-identical — src/main/db/migrator.test.ts compares sqlite_master
 * with __snapshots__/schema.exact.sql.txt (and schema.sql.txt); never update those snapshots for a refactoring. That
 * is how the migrations learnt PostgreSQL (issue #21): what differs between the dialects lives in
 * migrations/dialect.ts only, and src/main/db/migrator.pg.test.ts snapshots the PostgreSQL schema.
 */
export const MIGRATIONS: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['0001_initial', m0001],
  ['0002_costs_prices_plans', m0002],
  ['0003_item_savings', m0003],
  ['0004_run_owner_audit_restrict', m0004],
  ['0005_metrics', m0005],
  ['0006_reason_category', m0006],
  ['0007_deletions_by_plan', m0007],
  ['0008_snoozes', m0008],
  ['0009_org_accounts', m0009],
  ['0010_findings_search', m0010],
  ['0011_run_leases', m0011],
  ['0012_upload_origin', m0012],
  ['0013_team_store_speed', m0013],
  ['0014_search_text_lowered', m0014],
];
