/**
 * The one path every EC2 handler's delete takes for a mutating AWS call: through `ctx.audited` (dry runs
 * included), with EC2's answer classified. Each handler decides what a classified answer means for it.
 */
import { awsErrorCode, awsErrorMessage, isAbort, isDryRunSuccess, isUnauthorized } from './ec2-common';
import type { AuditedCall, DeleteContext, DeleteOutcome } from './handler';

/** The call failed with an AWS error: a missing permission, or any other error. */
export type MutationFailure =
  | { kind: 'unauthorized'; code: string; message: string }
  | { kind: 'error'; code: string; message: string };

/**
 * One audited mutating call, its AWS error (if any) classified. `done` means AWS ran it (in a dry run: the
 * endpoint ignored DryRun); `dry-run-ok` means AWS answered DryRunOperation.
 */
export type MutationResult<T = unknown> = { kind: 'done'; value: T } | { kind: 'dry-run-ok' } | MutationFailure;

/** Runs `send` through the audit log. Aborts are rethrown, never classified; other errors are never thrown. */
export async function auditedMutation<T>(
  ctx: DeleteContext,
  call: AuditedCall,
  send: () => Promise<T>,
): Promise<MutationResult<T>> {
  try {
    return { kind: 'done', value: await ctx.audited(call, send) };
  } catch (err) {
    if (isAbort(err)) throw err;
    if (call.dryRun && isDryRunSuccess(err)) return { kind: 'dry-run-ok' };
    const code = awsErrorCode(err) ?? 'Unknown';
    const message = awsErrorMessage(err);
    if (isUnauthorized(err)) return { kind: 'unauthorized', code, message };
    return { kind: 'error', code, message };
  }
}

export function isMutationFailure(result: MutationResult<unknown>): result is MutationFailure {
  return result.kind === 'unauthorized' || result.kind === 'error';
}

/** The delete outcome of a failed call: `unauthorized` for a missing permission, `failed` (with AWS's code) otherwise. */
export function failureOutcome(failure: MutationFailure): DeleteOutcome {
  const { code, message } = failure;
  return failure.kind === 'unauthorized' ? { kind: 'unauthorized', code, message } : { kind: 'failed', code, message };
}

/** A dry run that AWS ran for real: the endpoint ignored DryRun, which is reported rather than called a dry run. */
export function dryRunIgnored(action: string): DeleteOutcome {
  return { kind: 'failed', code: 'DryRunIgnored', message: `The endpoint ran ${action} instead of a dry run` };
}

/** `DeleteSnapshot snap-1` / `DeleteSnapshot snap-1 (dry run)`: how calls are listed in outcomes. */
export function callLabel(call: AuditedCall): string {
  return `${call.action} ${call.target}${call.dryRun ? ' (dry run)' : ''}`;
}
