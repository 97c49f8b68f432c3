import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { DeletionOutcome, PlanStatus } from '../../shared/dto/cleanup';
import type { ResourceStatus } from '../../shared/dto/findings';
import type { ScanKind, ScanStatus } from '../../shared/dto/scans';

/** kysely's view of the SQLite schema built by `migrations/`. Keep in step with the migrations. */

/** The status columns' values are declared once, with the IPC contract's DTOs (src/shared/dto). */
export type { DeletionOutcome, PlanStatus, ResourceStatus, ScanKind, ScanStatus };

export interface AccountsTable {
  id: string;
  alias: Generated<string | null>;
  partition: Generated<string>;
  arn: Generated<string | null>;
  last_profile: Generated<string | null>;
  first_seen: string;
  last_seen: string;
}

export interface ServicesTable {
  id: Generated<number>;
  account_id: string;
  code: string;
  display_name: string;
  category: string;
  active: Generated<number>;
  period_cost: Generated<number>;
  period_start: Generated<string | null>;
  period_end: Generated<string | null>;
  first_seen: string;
  last_seen: string;
  metadata: Generated<string>;
}

export interface CostHistoryTable {
  id: Generated<number>;
  service_id: number;
  date: string;
  cost: number;
  cost_text: string;
  usage_quantity: Generated<number | null>;
  usage_unit: Generated<string | null>;
  estimated: Generated<number>;
  updated_at: string;
}

export interface ScansTable {
  id: Generated<number>;
  account_id: string | null;
  kind: ScanKind;
  parent_scan_id: Generated<number | null>;
  regions: Generated<string>;
  status: ScanStatus;
  started_at: string;
  completed_at: Generated<string | null>;
  duration_ms: Generated<number | null>;
  tasks_total: Generated<number>;
  tasks_failed: Generated<number>;
  resources_seen: Generated<number>;
  findings_count: Generated<number>;
  monthly_savings: Generated<number>;
  services_found: Generated<number>;
  requests: Generated<number>;
  error_code: Generated<string | null>;
  error: Generated<string | null>;
  options: Generated<string>;
  /** The process running (or that last ran) this scan: see db/run-owner.ts. Null before migration 0004. */
  owner_pid: Generated<number | null>;
  /** That process's start as the OS reports it (tells a reused pid apart); null where the OS cannot tell. */
  owner_start: Generated<string | null>;
  /** CloudWatch meter (migration 0005): metrics requested from GetMetricData (billed), its calls, cache hits, ListMetrics calls. */
  metrics_requested: Generated<number>;
  metric_calls: Generated<number>;
  metrics_cached: Generated<number>;
  list_metrics_calls: Generated<number>;
}

/** Cached daily CloudWatch series (migration 0005): `points` is JSON `[["YYYY-MM-DD", value], …]`. */
export interface MetricSeriesTable {
  account_id: string;
  region: string;
  query_key: string;
  start_time: string;
  end_time: string;
  points: string;
  fetched_at: string;
}

export interface ScanFailuresTable {
  id: Generated<number>;
  scan_id: number;
  region: string;
  handler: string;
  error_code: string;
  message: string;
  at: string;
}

export interface ResourcesTable {
  id: Generated<number>;
  account_id: string;
  resource_type: string;
  region: string;
  resource_id: string;
  service_code: string;
  name: Generated<string | null>;
  state: Generated<string | null>;
  unused: number;
  unused_reason: Generated<string | null>;
  /** The reason's filter category (src/main/findings/reason-category.ts). */
  reason_category: Generated<string | null>;
  unused_since: Generated<string | null>;
  monthly_cost: Generated<number | null>;
  /** What deleting it saves (own cost + parts deleted with it); null = unknown. */
  monthly_savings: Generated<number | null>;
  cost_basis: Generated<string>;
  protected: Generated<number>;
  protected_reason: Generated<string | null>;
  tags: Generated<string>;
  details: Generated<string>;
  created_at: Generated<string | null>;
  first_seen: string;
  last_seen: string;
  last_scan_id: Generated<number | null>;
  status: Generated<ResourceStatus>;
  status_changed_at: Generated<string | null>;
  /** The PostgreSQL writer's digest of the reported columns (migration 0013); null where none was written. */
  content_hash: Generated<string | null>;
}

export interface DeletionsTable {
  id: Generated<number>;
  account_id: string;
  plan_id: string;
  resource_pk: Generated<number | null>;
  resource_type: string;
  region: string;
  resource_id: string;
  action: string;
  target: string;
  dry_run: number;
  dry_run_result: Generated<string | null>;
  outcome: DeletionOutcome;
  error_code: Generated<string | null>;
  error_message: Generated<string | null>;
  requested_at: string;
  completed_at: Generated<string | null>;
  details: Generated<string>;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface CeRequestsTable {
  account_id: string;
  day: string;
  requests: Generated<number>;
}

export interface PriceCacheTable {
  region: string;
  prices: string;
  fetched_at: string;
}

export interface CleanupPlansTable {
  id: string;
  account_id: string;
  created_at: string;
  status: PlanStatus;
  items: string;
  monthly_savings: Generated<number>;
  options: Generated<string>;
  completed_at: Generated<string | null>;
  /** The process running (or that last ran) this plan: see db/run-owner.ts. Null until a run claims it. */
  owner_pid: Generated<number | null>;
  owner_start: Generated<string | null>;
}

/** Snoozes: findings left out of the totals until `until` (null: for good), one finding or one tag (0008). */
export interface SnoozesTable {
  id: Generated<number>;
  account_id: string;
  scope: 'finding' | 'tag';
  resource_type: string | null;
  region: string | null;
  resource_id: string | null;
  tag_key: string | null;
  tag_value: string | null;
  until: string | null;
  reason: string;
  created_at: string;
}

/** Per home account: the default role and the last organization listing (0009). */
export interface OrgHomesTable {
  home_account_id: string;
  default_role_name: string;
  organization_id: string | null;
  listed_at: string | null;
  list_error_code: string | null;
  list_error: string | null;
  list_error_at: string | null;
}

/** Accounts a home account reaches by assuming a role: listed from its organization or added by hand (0009). */
export interface OrgAccountsTable {
  home_account_id: string;
  account_id: string;
  name: string | null;
  email: string | null;
  source: 'organization' | 'manual';
  role_name: string | null;
  listed_at: string | null;
  last_error_code: string | null;
  last_error: string | null;
  last_error_at: string | null;
  created_at: string;
}

/** A resource's reason and tags, for the findings search (kept by triggers, migration 0010). */
export interface ResourceSearchTable {
  id: number;
  text: string;
}

/** Per account, kind and region: the last scan whose task succeeded there (migration 0010). */
export interface ResourceTasksTable {
  account_id: string;
  resource_type: string;
  region: string;
  last_scan_id: number | null;
  last_seen: string;
}

/** Who scans or cleans up an account right now (migration 0011). */
export interface RunLeasesTable {
  account_id: string;
  kind: 'scan' | 'cleanup';
  owner_id: string;
  owner_host: string;
  owner_user: string | null;
  owner_pid: number | null;
  acquired_at: string;
  renewed_at: string;
  expires_at: string;
}

export interface Database {
  accounts: AccountsTable;
  services: ServicesTable;
  cost_history: CostHistoryTable;
  scans: ScansTable;
  scan_failures: ScanFailuresTable;
  resources: ResourcesTable;
  deletions: DeletionsTable;
  settings: SettingsTable;
  ce_requests: CeRequestsTable;
  price_cache: PriceCacheTable;
  cleanup_plans: CleanupPlansTable;
  metric_series: MetricSeriesTable;
  snoozes: SnoozesTable;
  org_homes: OrgHomesTable;
  org_accounts: OrgAccountsTable;
  resource_search: ResourceSearchTable;
  resource_tasks: ResourceTasksTable;
  run_leases: RunLeasesTable;
}

export type AccountRow = Selectable<AccountsTable>;
export type ServiceRow = Selectable<ServicesTable>;
export type CostHistoryRow = Selectable<CostHistoryTable>;
export type ScanRow = Selectable<ScansTable>;
export type SnoozeRow = Selectable<SnoozesTable>;
export type NewScan = Insertable<ScansTable>;
export type ScanUpdate = Updateable<ScansTable>;
export type ResourceRow = Selectable<ResourcesTable>;
export type DeletionRow = Selectable<DeletionsTable>;
export type CleanupPlanRow = Selectable<CleanupPlansTable>;
