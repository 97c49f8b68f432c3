/**
 * What the app knows about each resource kind, as the kind itself declares it (main's handler registry): the renderer,
 * the CLI and discovery derive labels, filters, console links, failure advice, the drawer's fields and the cleanup
 * review from this list, never from a table of their own.
 */

/** How a kind's action is verified before it runs, without changing anything. */
export type VerificationMethod =
  /** The API's own `DryRun` parameter: AWS answers whether the call would succeed (permissions included). */
  | 'dry-run'
  /**
   * No dry run in the API: the re-check reads the resource again, and IAM SimulatePrincipalPolicy says whether the
   * identity may make the call. Reported as "checked", never as "dry-run ok".
   */
  | 'permission-check';

/** One labelled value of a finding's `details`, for the drawer: no raw JSON. */
export interface KindDetailFieldDto {
  /** Key in `details`. */
  key: string;
  label: string;
  /** Shown after the value (`GiB`, `IOPS`, `MiB/s`, `days`). */
  unit?: string;
  /** How to render it: plain text (default), a date-time, a yes/no, or a list of strings. */
  format?: 'text' | 'datetime' | 'boolean' | 'list';
  /**
   * What a stored null means for this field when AWS reports nothing because there is nothing ("none" for an
   * address associated with no instance). Without it a null reads "unknown"; a missing key always does.
   */
  emptyText?: string;
}

/** A kind's own setting (e.g. how many days stopped before an instance is flagged). */
export interface KindSettingDto {
  key: string;
  label: string;
  description: string;
  type: 'integer';
  /** Shown after the value ("days"). */
  unit?: string;
  default: number;
  min: number;
  max: number;
}

/** A plan option a kind's action offers (e.g. a safety snapshot of a volume before it is deleted). */
export interface KindPlanOptionDto {
  key: 'snapshotVolumes';
  label: string;
  description: string;
}

/**
 * One thing a cleanup can do to a resource of a kind: delete it (with or without a final snapshot), or an action short
 * of deleting (stop, pause, set retention, abort). Every action runs the same pipeline: plan → re-check → verify →
 * typed confirmation → audit. A kind that declares none has one: delete (its `actionLabel`, its `iam.action`).
 */
export interface KindActionDto {
  /** Stable within the kind, stored with the plan item: `delete`, `delete-without-snapshot`, `stop`, `pause`. */
  id: string;
  /** The choice in a few words: "Delete, keep a final snapshot", "Stop", "Pause". */
  label: string;
  /** The outcome in a word, past tense: "Deleted", "Stopped", "Paused". */
  doneLabel: string;
  /** What it does, and what stays billed afterwards. */
  description: string;
  /** Shown beside the choice in the review (AWS restarts a stopped database after seven days); absent when none. */
  warning?: string;
  /** True: the resource is gone afterwards (its finding is marked deleted). False: it stays (stop, pause). */
  removes: boolean;
  /** The IAM actions it makes (the permission check of kinds verified without a DryRun). */
  iam: string[];
  /**
   * Only ever chosen for one item at a time, by name (deleting a database without a final snapshot): never a default,
   * never applied to a selection.
   */
  explicit?: boolean;
}

export interface ResourceKindDto {
  /** Stable id, stored with each finding: `ec2:volume`. */
  type: string;
  /** The finding kind, plural: "Unattached EBS volumes". */
  label: string;
  /** One resource: "EBS volume". */
  noun: string;
  category: string;
  /** Cost Explorer service codes whose spend this kind can reduce (discovery coverage). */
  serviceCodes: string[];
  /**
   * The resource's page in the AWS console; `{host}`, `{region}` and `{id}` are filled in (URI-encoded). Null when the
   * console has no page for it.
   */
  consoleUrl: string | null;
  /** IAM actions a scan needs, and the action(s) a cleanup makes. */
  iam: { scan: string[]; action: string[] };
  /** What the cleanup does to it, in a word ("Delete", "Terminate", "Release"). */
  actionLabel: string;
  verification: { method: VerificationMethod; description: string };
  planOptions: KindPlanOptionDto[];
  settings: KindSettingDto[];
  detailFields: KindDetailFieldDto[];
  /** What a cleanup can do to it; the first is the default (never an `explicit` one). At least one. */
  actions: KindActionDto[];
}
