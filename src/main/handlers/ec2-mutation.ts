/**
 * The one path every EC2 handler's delete takes for a mutating AWS call: through `ctx.audited` (dry runs
 * included), with EC2's answer classified. Each handler decides what a classified answer means for it.
 */
import { awsErrorCode } from '../aws/errors';
import { awsErrorMessage, isAbort, isDryRunSuccess, isUnauthorized } from './ec2-common';
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

/** Removing calls whose "not found" means the resource is already gone (a retried call whose first attempt worked). */
const REMOVING = /^(Delete|Terminate|Deregister|Release)/;

/** A removing call that found its target gone: it was removed (by an earlier attempt, or meanwhile). */
export const ALREADY_GONE = Symbol('already gone');

function isGone(call: AuditedCall, err: unknown): boolean {
  if (call.dryRun || !REMOVING.test(call.action)) return false;
  const code = awsErrorCode(err);
  return code.endsWith('.NotFound');
}

/**
 * Runs `send` through the audit log. Aborts are rethrown, never classified; other errors are never thrown. A removing
 * call answered "not found" is `done` with ALREADY_GONE (audited as succeeded): the SDK retries a call whose first
 * attempt may have reached AWS, and a resource that is gone is what the call was for.
 */
export async function auditedMutation<T>(
  ctx: DeleteContext,
  call: AuditedCall,
  send: () => Promise<T>,
): Promise<MutationResult<T | typeof ALREADY_GONE>> {
  const run = async (): Promise<T | typeof ALREADY_GONE> => {
    try {
      return await send();
    } catch (err) {
      if (isGone(call, err)) return ALREADY_GONE;
      throw err;
    }
  };
  try {
    return { kind: 'done', value: await ctx.audited(call, run) };
  } catch (err) {
    if (isAbort(err)) throw err;
    if (call.dryRun && isDryRunSuccess(err)) return { kind: 'dry-run-ok' };
    const code = awsErrorCode(err);
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

/** `DeleteSnapshot snap-1` / `DeleteSnapshot snap-1 (dry run)` / `… (already gone)`: how calls are listed in outcomes. */
export function callLabel(call: AuditedCall, result?: MutationResult<unknown>): string {
  const gone = result?.kind === 'done' && result.value === ALREADY_GONE ? ' (already gone)' : '';
  return `${call.action} ${call.target}${call.dryRun ? ' (dry run)' : ''}${gone}`;
}
