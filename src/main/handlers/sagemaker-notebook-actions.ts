/**
 * The cleanup actions of SageMaker notebook instances left running (sagemaker-notebooks.ts).
 *
 * `stop` (default): StopNotebookInstance. The instance hours stop; the ML storage volume (and the notebook's files)
 * stays and keeps billing; the finding stays for the next scan (`removes: false`).
 * `delete`: StopNotebookInstance, wait until it is Stopped (DescribeNotebookInstance every `ctx.pollMs`, default 15 s,
 * for at most `ctx.waitMs`, default one hour: otherwise failed, nothing deleted), then DeleteNotebookInstance (AWS
 * accepts it only from Stopped or Failed). Every mutating call goes through the audit log.
 *
 * SageMaker answers a missing notebook instance with ValidationException `RecordNotFound`, and a transition it does
 * not allow with ValidationException `Status (<s>) not in ([…]). Unable to transition to (<t>) …`.
 */
import { DeleteNotebookInstanceCommand, DescribeNotebookInstanceCommand, SageMakerClient, StopNotebookInstanceCommand } from '@aws-sdk/client-sagemaker';
import type { KindActionDto } from '../../shared/dto/kinds';
import { awsErrorCode } from '../aws/errors';
import { awsErrorMessage, isAbort, isUnauthorized } from './ec2-common';
import { protectionByTag } from './handler';
import type { DeleteContext, DeleteOutcome, StoredFinding } from './handler';

const READ_IAM = ['sagemaker:DescribeNotebookInstance', 'tag:GetResources'];

export const NOTEBOOK_ACTIONS: readonly KindActionDto[] = [
  {
    id: 'stop',
    label: 'Stop',
    doneLabel: 'Stopped',
    description: 'Stops the notebook instance: its instance hours stop billing. Its ML storage volume and files stay (and keep billing); start it again at any time.',
    removes: false,
    iam: ['sagemaker:StopNotebookInstance', ...READ_IAM],
  },
  {
    id: 'delete',
    label: 'Stop and delete',
    doneLabel: 'Deleted',
    description: 'Stops the notebook instance, waits until it is Stopped, then deletes it: the instance hours and its ML storage volume stop billing.',
    warning: "The notebook's ML storage volume is deleted with it, and every file on it (notebooks, data, installed packages) is gone for good.",
    removes: true,
    iam: ['sagemaker:StopNotebookInstance', 'sagemaker:DeleteNotebookInstance', ...READ_IAM],
  },
];

export const isNotebookNotFound = (err: unknown): boolean => awsErrorCode(err) === 'ValidationException' && /RecordNotFound/.test(awsErrorMessage(err));
const isNotInService = (err: unknown): boolean => awsErrorCode(err) === 'ValidationException' && /^Status \((Stopping|Stopped)\) not in \(\[InService\]\)/.test(awsErrorMessage(err));

type Call = { ok: true; label: string; gone: boolean } | { ok: false; outcome: DeleteOutcome };

/** One audited call; `tolerated` errors are answered with a label suffix instead of failing. */
async function call(ctx: DeleteContext, action: string, target: string, send: () => Promise<unknown>, tolerated: ReadonlyArray<[(err: unknown) => boolean, string]>): Promise<Call> {
  let suffix = '';
  try {
    await ctx.audited({ action, target, dryRun: false }, async () => {
      try {
        return await send();
      } catch (err) {
        const t = tolerated.find(([is]) => is(err));
        if (t === undefined) throw err;
        suffix = t[1];
        return undefined;
      }
    });
    return { ok: true, label: `${action} ${target}${suffix}`, gone: suffix === ' (already gone)' };
  } catch (err) {
    if (isAbort(err)) throw err;
    const code = awsErrorCode(err);
    const message = awsErrorMessage(err);
    return { ok: false, outcome: isUnauthorized(err) ? { kind: 'unauthorized', code, message } : { kind: 'failed', code, message } };
  }
}

async function sleep(ctx: DeleteContext, ms: number): Promise<void> {
  ctx.signal?.throwIfAborted();
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(t);
      reject(Object.assign(new Error('The cleanup was cancelled.'), { name: 'AbortError' }));
    };
    const t = setTimeout(() => {
      ctx.signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Polls until Stopped or Failed (deletable); null status = gone. */
async function waitStopped(ctx: DeleteContext, name: string): Promise<{ kind: 'stopped' } | { kind: 'gone' } | { kind: 'timeout' } | { kind: 'bad'; status: string }> {
  const client = ctx.client(SageMakerClient);
  const deadline = Date.now() + (ctx.waitMs ?? 3_600_000);
  for (;;) {
    let status: string | null;
    try {
      status = (await client.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: name }), { abortSignal: ctx.signal })).NotebookInstanceStatus ?? 'unknown';
    } catch (err) {
      if (isNotebookNotFound(err)) status = null;
      else throw err;
    }
    if (status === null) return { kind: 'gone' };
    if (status === 'Stopped' || status === 'Failed') return { kind: 'stopped' };
    if (status !== 'Stopping' && status !== 'InService') return { kind: 'bad', status };
    if (Date.now() >= deadline) return { kind: 'timeout' };
    await sleep(ctx, ctx.pollMs ?? 15_000);
  }
}

/** The kind's `delete`: refuses a protected notebook, checks only on a dry run, else runs the chosen action. */
export async function deleteNotebook(ctx: DeleteContext, stored: StoredFinding, dryRun: boolean): Promise<DeleteOutcome> {
  const refusal = protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
  if (refusal !== null) return { kind: 'refused', reason: refusal };
  if (dryRun) return { kind: 'checked', calls: [], note: 'SageMaker has no DryRun: verified by the re-check and an IAM permission check' };
  const action = ctx.action ?? 'stop';
  if (action !== 'stop' && action !== 'delete') return { kind: 'failed', code: 'UnknownAction', message: `SageMaker notebook instances have no action "${action}"` };
  const client = ctx.client(SageMakerClient);
  const name = stored.resourceId;
  const stop = await call(ctx, 'StopNotebookInstance', name, () => client.send(new StopNotebookInstanceCommand({ NotebookInstanceName: name }), { abortSignal: ctx.signal }), [
    [isNotebookNotFound, ' (already gone)'],
    [isNotInService, ' (already stopping or stopped)'],
  ]);
  if (!stop.ok) return stop.outcome;
  if (action === 'stop' || stop.gone) return { kind: 'deleted', calls: [stop.label] };
  const waited = await waitStopped(ctx, name);
  if (waited.kind === 'gone') return { kind: 'deleted', calls: [stop.label, `DeleteNotebookInstance ${name} (already gone)`] };
  if (waited.kind !== 'stopped') {
    const why = waited.kind === 'timeout' ? `did not stop within ${Math.round((ctx.waitMs ?? 3_600_000) / 60_000)} min` : `is ${waited.status}`;
    return { kind: 'failed', code: 'NotebookNotStopped', message: `${name} ${why}: it was NOT deleted (the stop was requested: ${stop.label})` };
  }
  const del = await call(ctx, 'DeleteNotebookInstance', name, () => client.send(new DeleteNotebookInstanceCommand({ NotebookInstanceName: name }), { abortSignal: ctx.signal }), [
    [isNotebookNotFound, ' (already gone)'],
  ]);
  if (!del.ok) {
    const o = del.outcome;
    return o.kind === 'failed' || o.kind === 'unauthorized' ? { ...o, message: `${o.message} (the notebook instance was stopped: ${stop.label})` } : o;
  }
  return { kind: 'deleted', calls: [stop.label, del.label] };
}
