/**
 * The cleanup actions of the log-group kinds (logs-groups.ts): set a retention (365 days by default for a group that
 * never expires; 90; 30) with PutRetentionPolicy, and, for a dead group, delete it with DeleteLogGroup.
 *
 * A retention removes nothing (`removes: false`): the group stays, its events older than the limit expire, and the
 * next scan judges it again. Its savings are the estimate stored with the finding (`details.retentionSavings`). A
 * delete saves all the group stores. Deletion protection is AWS's own: a delete of a protected group is refused, and
 * AWS's ValidationException is reported as refused, never worked around. CloudWatch Logs has no DryRun: the cleanup
 * verifies by the re-check and an IAM permission check, and `delete` is called only for the real action.
 */
import { CloudWatchLogsClient, DeleteLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { KindActionDto } from '../../shared/dto/kinds';
import { awsErrorCode } from '../aws/errors';
import { ALREADY_GONE, auditedMutation, callLabel, failureOutcome, isMutationFailure } from './ec2-mutation';
import { protectionByTag } from './handler';
import type { AuditedCall, DeleteContext, DeleteOutcome, Finding, HandlerContext, ItemParts, RecheckResult, StoredFinding } from './handler';
import { describeGroup, judgeIngestion, RETENTION_CHOICES, toFinding, type Cost } from './logs-groups-common';
import { storedNumber, storedString } from './parts';

const READ_IAM = ['logs:DescribeLogGroups', 'logs:ListTagsForResource'];

function retentionAction(days: number): KindActionDto {
  return {
    id: `retention-${days}`,
    label: `Set retention to ${days} days`,
    doneLabel: 'Retention set',
    description:
      `Sets the group's retention to ${days} days (PutRetentionPolicy): events older than that expire and stop billing (AWS deletes them within 72 hours). ` +
      'The group and its newer events stay; nothing else on it changes. The saving shown is an estimate.',
    warning: `Events older than ${days} days are deleted for good; audit, CloudTrail or flow-log groups may have to be kept longer.`,
    removes: false,
    iam: ['logs:PutRetentionPolicy', ...READ_IAM],
  };
}

export const RETENTION_ACTIONS: readonly KindActionDto[] = RETENTION_CHOICES.map(retentionAction);

export const DELETE_LOG_GROUP_ACTION: KindActionDto = {
  id: 'delete',
  label: 'Delete the log group',
  doneLabel: 'Deleted',
  description: 'Deletes the log group and every event in it (DeleteLogGroup): its stored data stops billing.',
  warning: 'Irreversible. A group Lambda or ECS writes to is created again on its next write, with no retention.',
  removes: true,
  iam: ['logs:DeleteLogGroup', ...READ_IAM],
};

export const DEAD_ACTIONS: readonly KindActionDto[] = [DELETE_LOG_GROUP_ACTION, ...RETENTION_ACTIONS];

const retentionDays = (action: string): number | null => {
  const m = /^retention-(\d+)$/.exec(action);
  return m !== null && (RETENTION_CHOICES as readonly number[]).includes(Number(m[1])) ? Number(m[1]) : null;
};

/** Why `action` cannot be taken on this finding, or null (the plan's and the re-check's refusal). */
export function logGroupRefusal(finding: Finding, action: string): string | null {
  const current = storedNumber(finding.details['retentionInDays']);
  if (retentionDays(action) !== null && current !== null) return `It already has a retention of ${current} days`;
  if (action === 'delete' && finding.details['deletionProtection'] === true) {
    return 'Deletion protection is on: AWS refuses DeleteLogGroup (Cloud Cleaner never switches it off)';
  }
  return null;
}

/** The re-check of either kind: the group by exact name, its tags, and (dead kind) fresh ingestion. */
export async function recheckLogGroup(ctx: HandlerContext, stored: StoredFinding, kind: 'never-expire' | 'dead'): Promise<RecheckResult> {
  const f = await describeGroup(ctx, stored.resourceId);
  if (f === null) return { status: 'gone', reason: 'The log group no longer exists' };
  const [ingest] = kind === 'dead' ? await judgeIngestion(ctx, [f]) : [null];
  const current = toFinding(ctx, kind, f, ingest ?? null);
  if (current.protected) return { status: 'protected', reason: current.protectedReason ?? 'Protected', current };
  const before = storedNumber(stored.details['retentionInDays']);
  if (before !== f.retentionInDays) {
    return { status: 'changed', reason: `Retention changed from ${before === null ? 'never expire' : `${before} days`} to ${f.retentionInDays === null ? 'never expire' : `${f.retentionInDays} days`}`, current };
  }
  const action = ctx.action ?? (kind === 'dead' ? 'delete' : 'retention-365');
  const no = logGroupRefusal(current, action);
  // Deletion protection (on now) is AWS's protection of the delete: reported as protected, never switched off.
  if (no !== null) return { status: action === 'delete' && current.details['deletionProtection'] === true ? 'protected' : 'changed', reason: no, current };
  if (stored.unused && !current.unused) return { status: 'changed', reason: `No longer dead: ${String(current.details['ingestion'])}`, current };
  return { status: 'unchanged', current };
}

const DELETION_PROTECTED = /deletion protection/i;

/** The kinds' `delete`: refuses a protected group, checks only on a dry run, else takes the chosen action. */
export async function actOnLogGroup(ctx: DeleteContext, stored: StoredFinding, dryRun: boolean, defaultAction: string): Promise<DeleteOutcome> {
  const protectedBy = protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
  if (protectedBy !== null) return { kind: 'refused', reason: protectedBy };
  if (dryRun) return { kind: 'checked', calls: [], note: 'CloudWatch Logs has no DryRun: verified by the re-check and an IAM permission check' };
  const action = ctx.action ?? defaultAction;
  const no = logGroupRefusal(stored, action);
  if (no !== null) return { kind: 'refused', reason: no };
  const name = stored.resourceId;
  const client = ctx.client(CloudWatchLogsClient);
  const days = retentionDays(action);
  if (days !== null) {
    const call: AuditedCall = { action: 'PutRetentionPolicy', target: name, dryRun: false };
    const result = await auditedMutation(ctx, call, () => client.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: days }), { abortSignal: ctx.signal }));
    if (isMutationFailure(result)) return failureOutcome(result);
    return { kind: 'deleted', calls: [`${callLabel(call, result)} (${days} days)`] };
  }
  if (action !== 'delete') return { kind: 'failed', code: 'UnknownAction', message: `Log groups have no action "${action}"` };
  const call: AuditedCall = { action: 'DeleteLogGroup', target: name, dryRun: false };
  const result = await auditedMutation(ctx, call, async () => {
    try {
      return await client.send(new DeleteLogGroupCommand({ logGroupName: name }), { abortSignal: ctx.signal });
    } catch (err) {
      // Deleted by an earlier attempt, or meanwhile: what the call was for.
      if (awsErrorCode(err) === 'ResourceNotFoundException') return ALREADY_GONE;
      throw err;
    }
  });
  if (result.kind === 'error' && result.code === 'ValidationException' && DELETION_PROTECTED.test(result.message)) {
    return { kind: 'refused', reason: `AWS refused: ${result.message}` };
  }
  if (isMutationFailure(result)) return failureOutcome(result);
  return { kind: 'deleted', calls: [callLabel(call, result)] };
}

/** A delete saves all the group stores; a retention, the estimate stored with the finding. Nothing else goes with it. */
export function logGroupParts(finding: Finding, action: string): ItemParts {
  if (retentionDays(action) === null) return { own: { monthlyCost: finding.monthlyCost, costBasis: finding.costBasis }, parts: [] };
  const est = (finding.details['retentionSavings'] as Record<string, Partial<Cost>> | undefined)?.[action];
  return {
    own: { monthlyCost: storedNumber(est?.monthlyCost), costBasis: storedString(est?.costBasis) ?? 'Estimate unknown: not computed by the scan' },
    parts: [],
  };
}
