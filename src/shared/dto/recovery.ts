/**
 * The recovery list (issue #22): every copy a cleanup kept so a deleted resource can come back (a volume's safety
 * snapshot, a database's final snapshot, an instance's AMI), and every deletion AWS holds in a waiting period (a
 * secret, a KMS key: restorable until their date). Read from the audit log and the plans, never guessed.
 */
import { z } from 'zod';
import { pageSchema, type PageDto } from './common';

/** What a recovery point is. Copies bill every month until deleted; scheduled deletions are not copies. */
export const RECOVERY_KINDS = [
  'ebs-snapshot',
  'ami',
  'rds-snapshot',
  'rds-cluster-snapshot',
  'redshift-snapshot',
  'elasticache-snapshot',
  'secret-pending-deletion',
  'kms-key-pending-deletion',
] as const;
export type RecoveryKind = (typeof RECOVERY_KINDS)[number];

export type RecoveryRetention =
  /** A manual snapshot or an AMI: AWS keeps it until someone deletes it, and it bills every month meanwhile. */
  | { kind: 'until-deleted' }
  /** A scheduled deletion: restorable (RestoreSecret, CancelKeyDeletion) until `date` (ISO), gone after it. */
  | { kind: 'until-date'; date: string };

export interface RecoveryPointDto {
  kind: RecoveryKind;
  /** "EBS snapshot", "AMI", "RDS DB snapshot", … */
  kindLabel: string;
  /** True for a copy that bills (snapshots, AMIs); false for a scheduled deletion (the resource itself, waiting). */
  isCopy: boolean;
  /**
   * The copy's id (snapshot id, AMI id, snapshot identifier) or the resource's for a scheduled deletion. Null when
   * the audit row predates the app recording it: `idHint` says how to find it.
   */
  id: string | null;
  idHint: string | null;
  region: string;
  /** The resource it protects (as planned). */
  resourceType: string;
  resourceId: string;
  resourceName: string | null;
  /** Whether the plan's action on that resource went through (false: the resource is still there too). */
  resourceRemoved: boolean;
  planId: string;
  /** When the call that made it was sent (ISO). */
  createdAt: string;
  /** USD per month, from the plan's price of the part created and kept. Null = unknown (never $0). */
  monthlyCost: number | null;
  costBasis: string;
  retention: RecoveryRetention;
  /** The console page to restore from: `{host}`, `{region}`, `{id}` filled by the renderer (lib/console-url.ts). */
  restoreUrlTemplate: string;
  /** What to do on that page, in plain words. */
  restoreHint: string;
}

/** A page of recovery points (`total`: every one of the account), with the totals of all of them. */
export interface RecoveryPageDto extends PageDto<RecoveryPointDto> {
  /** Copies (isCopy) across all pages, their known monthly cost, and how many have an unknown cost. */
  copies: number;
  copiesMonthlyCost: number;
  copiesUnknownCost: number;
  /** Scheduled deletions still inside their waiting period (restorable now). */
  restorable: number;
}

export const recoveryListInput = z.strictObject({ ...pageSchema(50, 200) }).optional();
