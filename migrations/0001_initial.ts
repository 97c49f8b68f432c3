import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect';

/**
 * 0001 — the initial schema. FROZEN (see migrations/index.ts): never change what it creates; add a new migration.
 *
 * Differences from the seed's PostgreSQL schema, on purpose:
 * - every table is scoped to an `accounts` row, so two profiles never mix their data;
 * - costs are REAL (IEEE double, ~15 significant digits) plus the exact decimal string AWS sent: the seed's
 *   DECIMAL(10,2) rounded sub-cent daily costs to zero;
 * - resources are never deleted by a scan: they become `gone` (not seen) or `deleted` (by the app).
 * Timestamps are ISO 8601 UTC strings; booleans are 0/1 integers; JSON is TEXT.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const d = dialectOf(db);
  await sql`
    CREATE TABLE accounts (
      id            TEXT PRIMARY KEY NOT NULL,
      alias         TEXT,
      partition     TEXT NOT NULL DEFAULT 'aws',
      arn           TEXT,
      last_profile  TEXT,
      first_seen    TEXT NOT NULL,
      last_seen     TEXT NOT NULL
    )${d.strict}`.execute(db);

  await sql`
    CREATE TABLE services (
      id            ${d.idPrimaryKey},
      account_id    TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      code          TEXT NOT NULL,
      display_name  TEXT NOT NULL,
      category      TEXT NOT NULL,
      active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      period_cost   ${d.real} NOT NULL DEFAULT 0,
      period_start  TEXT,
      period_end    TEXT,
      first_seen    TEXT NOT NULL,
      last_seen     TEXT NOT NULL,
      metadata      TEXT NOT NULL DEFAULT '{}',
      UNIQUE (account_id, code)
    )${d.strict}`.execute(db);
  await sql`CREATE INDEX services_account_active ON services (account_id, active, period_cost DESC)`.execute(db);

  await sql`
    CREATE TABLE cost_history (
      id              ${d.idPrimaryKey},
      service_id      ${d.idRef} NOT NULL REFERENCES services(id) ON DELETE CASCADE,
      date            TEXT NOT NULL,
      cost            ${d.real} NOT NULL,
      cost_text       TEXT NOT NULL,
      usage_quantity  ${d.real},
      usage_unit      TEXT,
      estimated       INTEGER NOT NULL DEFAULT 0 CHECK (estimated IN (0, 1)),
      updated_at      TEXT NOT NULL,
      UNIQUE (service_id, date)
    )${d.strict}`.execute(db);
  await sql`CREATE INDEX cost_history_date ON cost_history (date)`.execute(db);

  await sql`
    CREATE TABLE scans (
      id               ${d.idPrimaryKey},
      account_id       TEXT REFERENCES accounts(id) ON DELETE CASCADE,
      kind             TEXT NOT NULL CHECK (kind IN ('discovery', 'resources')),
      parent_scan_id   ${d.idRef} REFERENCES scans(id) ON DELETE SET NULL,
      regions          TEXT NOT NULL DEFAULT '[]',
      status           TEXT NOT NULL CHECK (status IN
                         ('running', 'succeeded', 'partial', 'failed', 'cancelled', 'interrupted')),
      started_at       TEXT NOT NULL,
      completed_at     TEXT,
      duration_ms      INTEGER,
      tasks_total      INTEGER NOT NULL DEFAULT 0,
      tasks_failed     INTEGER NOT NULL DEFAULT 0,
      resources_seen   INTEGER NOT NULL DEFAULT 0,
      findings_count   INTEGER NOT NULL DEFAULT 0,
      monthly_savings  ${d.real} NOT NULL DEFAULT 0,
      services_found   INTEGER NOT NULL DEFAULT 0,
      requests         INTEGER NOT NULL DEFAULT 0,
      error_code       TEXT,
      error            TEXT,
      options          TEXT NOT NULL DEFAULT '{}'
    )${d.strict}`.execute(db);
  await sql`CREATE INDEX scans_account_started ON scans (account_id, kind, started_at DESC)`.execute(db);
  await sql`CREATE INDEX scans_status ON scans (status)`.execute(db);

  await sql`
    CREATE TABLE scan_failures (
      id          ${d.idPrimaryKey},
      scan_id     ${d.idRef} NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
      region      TEXT NOT NULL,
      handler     TEXT NOT NULL,
      error_code  TEXT NOT NULL,
      message     TEXT NOT NULL,
      at          TEXT NOT NULL
    )${d.strict}`.execute(db);
  await sql`CREATE INDEX scan_failures_scan ON scan_failures (scan_id)`.execute(db);

  await sql`
    CREATE TABLE resources (
      id               ${d.idPrimaryKey},
      account_id       TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      resource_type    TEXT NOT NULL,
      region           TEXT NOT NULL,
      resource_id      TEXT NOT NULL,
      service_code     TEXT NOT NULL,
      name             TEXT,
      state            TEXT,
      unused           INTEGER NOT NULL CHECK (unused IN (0, 1)),
      unused_reason    TEXT,
      unused_since     TEXT,
      monthly_cost     ${d.real},
      cost_basis       TEXT NOT NULL DEFAULT '',
      protected        INTEGER NOT NULL DEFAULT 0 CHECK (protected IN (0, 1)),
      protected_reason TEXT,
      tags             TEXT NOT NULL DEFAULT '{}',
      details          TEXT NOT NULL DEFAULT '{}',
      created_at       TEXT,
      first_seen       TEXT NOT NULL,
      last_seen        TEXT NOT NULL,
      last_scan_id     ${d.idRef} REFERENCES scans(id) ON DELETE SET NULL,
      status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'gone', 'deleted')),
      status_changed_at TEXT,
      UNIQUE (account_id, resource_type, region, resource_id)
    )${d.strict}`.execute(db);
  // Browsing findings: the columns the findings table filters and sorts on, for unused active rows only, so that a
  // page sorted or filtered on any of them, and the totals of a filter, read this narrow index instead of the wide rows with their
  // JSON (at 100k findings ~25 ms instead of ~120 ms). Partial, so resources in use cost nothing here; the one
  // secondary index that every upsert of an unused resource pays for.
  // Marking `gone` per task uses the UNIQUE index's (account_id, resource_type, region) prefix.
  await sql`
    CREATE INDEX resources_findings_browse ON resources (
      account_id, protected, resource_type, region, service_code, monthly_cost, unused_since, name, resource_id
    ) WHERE status = 'active' AND unused = 1`.execute(db);

  await sql`
    CREATE TABLE deletions (
      id              ${d.idPrimaryKey},
      account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      plan_id         TEXT NOT NULL,
      resource_pk     ${d.idRef} REFERENCES resources(id) ON DELETE SET NULL,
      resource_type   TEXT NOT NULL,
      region          TEXT NOT NULL,
      resource_id     TEXT NOT NULL,
      action          TEXT NOT NULL,
      target          TEXT NOT NULL,
      dry_run         INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
      dry_run_result  TEXT,
      outcome         TEXT NOT NULL CHECK (outcome IN
                        ('pending', 'succeeded', 'dry-run-ok', 'unauthorized', 'refused', 'failed')),
      error_code      TEXT,
      error_message   TEXT,
      requested_at    TEXT NOT NULL,
      completed_at    TEXT,
      details         TEXT NOT NULL DEFAULT '{}'
    )${d.strict}`.execute(db);
  await sql`CREATE INDEX deletions_plan ON deletions (plan_id, id)`.execute(db);
  await sql`CREATE INDEX deletions_resource ON deletions (resource_pk, id)`.execute(db);
  await sql`CREATE INDEX deletions_account ON deletions (account_id, requested_at DESC)`.execute(db);

  await sql`
    CREATE TABLE settings (
      key    TEXT PRIMARY KEY NOT NULL,
      value  TEXT NOT NULL
    )${d.strict}`.execute(db);
}
