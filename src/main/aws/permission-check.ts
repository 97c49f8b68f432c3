/**
 * Verifies an action without making it, for APIs that have no DryRun (ELB, RDS, S3, CloudWatch Logs, …): IAM
 * SimulatePrincipalPolicy says whether the caller's identity policies allow each action. Reported as "checked", never
 * as "dry-run ok" — it cannot see resource policies, SCPs or permission boundaries the way a real call does.
 */
import { SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import type { IAMClient } from '@aws-sdk/client-iam';
import { awsErrorCode } from './errors';

export type PermissionCheck =
  | { status: 'allowed'; note: string }
  | { status: 'denied'; denied: string[]; note: string }
  /** The simulation itself could not run (denied, or no such principal): said so, never taken as "allowed". */
  | { status: 'unknown'; note: string };

/**
 * The IAM principal to simulate for a caller ARN: an assumed-role session is simulated as its role
 * (`arn:aws:sts::1:assumed-role/R/s` → `arn:aws:iam::1:role/R`); users and roles as they are. Null: not simulable
 * (root, federated users).
 */
export function principalArnOf(callerArn: string): string | null {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  if (m) return `arn:${m[1]}:iam::${m[2]}:role/${m[3]}`;
  if (/^arn:aws[a-z-]*:iam::\d{12}:(user|role)\//.test(callerArn)) return callerArn;
  return null;
}

export async function simulatePermissions(
  iam: IAMClient,
  callerArn: string,
  actions: readonly string[],
  signal?: AbortSignal,
): Promise<PermissionCheck> {
  const principal = principalArnOf(callerArn);
  if (principal === null) return { status: 'unknown', note: `Permissions not simulated: ${callerArn} is not an IAM user or role` };
  try {
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: principal, ActionNames: [...actions], ResourceArns: ['*'] }),
      signal ? { abortSignal: signal } : {},
    );
    const denied = (out.EvaluationResults ?? []).filter((r) => r.EvalDecision !== 'allowed').map((r) => r.EvalActionName ?? '?');
    if (denied.length > 0) {
      return { status: 'denied', denied, note: `IAM policy simulation denies ${denied.join(', ')} to ${principal}` };
    }
    return { status: 'allowed', note: `IAM policy simulation allows ${actions.join(', ')} to ${principal}` };
  } catch (err) {
    if (signal?.aborted) throw err;
    return { status: 'unknown', note: `Permissions not simulated (iam:SimulatePrincipalPolicy: ${awsErrorCode(err) || 'failed'})` };
  }
}
