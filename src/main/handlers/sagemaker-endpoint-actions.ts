/**
 * The cleanup action of idle SageMaker endpoints (sagemaker-endpoints.ts): `delete`.
 *
 * DeleteEndpoint (its instances stop billing), then DeleteEndpointConfig — the configuration is free, and AWS does not
 * refuse to delete one another endpoint still uses (that endpoint would lose the record of its instance types), so it
 * is deleted only when no other endpoint references it: ListEndpoints (every status, paged) and DescribeEndpoint of
 * each other endpoint (concurrency ≤ 8; SageMaker has no listing that carries the configuration name). If that check
 * cannot be completed, or the configuration is protected by tag, it is kept and the outcome says so. Both calls go
 * through the audit log; a target already gone is what the call was for. SageMaker has no DryRun: the cleanup verifies
 * by the re-check and an IAM permission check.
 */
import { DeleteEndpointCommand, DeleteEndpointConfigCommand, DescribeEndpointCommand, ListEndpointsCommand, SageMakerClient, type DescribeEndpointOutput, type EndpointSummary } from '@aws-sdk/client-sagemaker';
import type { KindActionDto } from '../../shared/dto/kinds';
import { awsErrorCode } from '../aws/errors';
import { createLimiter } from '../scan/limiter';
import { awsErrorMessage, clampPageSize, isAbort, isUnauthorized } from './ec2-common';
import { protectionByTag } from './handler';
import type { DeleteContext, DeleteOutcome, HandlerContext, StoredFinding } from './handler';
import { partProtection, storedString, storedTags } from './parts';

const READ_IAM = ['sagemaker:DescribeEndpoint', 'sagemaker:DescribeEndpointConfig', 'sagemaker:ListEndpoints', 'tag:GetResources', 'cloudwatch:GetMetricData'];

export const ENDPOINT_ACTIONS: readonly KindActionDto[] = [
  {
    id: 'delete',
    label: 'Delete the endpoint',
    doneLabel: 'Deleted',
    description:
      'Deletes the endpoint (DeleteEndpoint): its instances stop billing. Then deletes its endpoint configuration (free) when no other endpoint uses it. The model and its artifacts in S3 stay.',
    warning: 'Applications calling this endpoint get errors until it is created again from a configuration.',
    removes: true,
    iam: ['sagemaker:DeleteEndpoint', 'sagemaker:DeleteEndpointConfig', ...READ_IAM],
  },
];

// ---- reads shared with the scan ----

export const isEndpointNotFound = (err: unknown): boolean => awsErrorCode(err) === 'ValidationException' && /Could not find endpoint "/.test(String((err as Error).message));
export const isConfigNotFound = (err: unknown): boolean => awsErrorCode(err) === 'ValidationException' && /Could not find endpoint configuration/.test(String((err as Error).message));

export async function describeEndpoint(ctx: HandlerContext, name: string): Promise<DescribeEndpointOutput | null> {
  try {
    return await ctx.client(SageMakerClient).send(new DescribeEndpointCommand({ EndpointName: name }), { abortSignal: ctx.signal });
  } catch (err) {
    if (isEndpointNotFound(err)) return null;
    throw err;
  }
}

/** Endpoint summaries, page by page (`InService` only, or every status). */
export async function* endpointPages(ctx: HandlerContext, inServiceOnly: boolean): AsyncIterable<EndpointSummary[]> {
  let token: string | undefined;
  do {
    const out = await ctx.client(SageMakerClient).send(
      new ListEndpointsCommand({ MaxResults: clampPageSize(ctx.pageSize, 1, 100), ...(inServiceOnly ? { StatusEquals: 'InService' } : {}), ...(token ? { NextToken: token } : {}) }),
      { abortSignal: ctx.signal },
    );
    yield out.Endpoints ?? [];
    token = out.NextToken || undefined;
  } while (token !== undefined);
}

const GONE = Symbol('gone');

/** One audited removing call; a target already gone is success. */
async function removing(ctx: DeleteContext, action: string, target: string, send: () => Promise<unknown>, gone: (err: unknown) => boolean): Promise<{ ok: true; label: string } | { ok: false; outcome: DeleteOutcome }> {
  try {
    const r = await ctx.audited({ action, target, dryRun: false }, async () => {
      try {
        return await send();
      } catch (err) {
        if (gone(err)) return GONE;
        throw err;
      }
    });
    return { ok: true, label: `${action} ${target}${r === GONE ? ' (already gone)' : ''}` };
  } catch (err) {
    if (isAbort(err)) throw err;
    const code = awsErrorCode(err);
    const message = awsErrorMessage(err);
    return { ok: false, outcome: isUnauthorized(err) ? { kind: 'unauthorized', code, message } : { kind: 'failed', code, message } };
  }
}

const notFound = (what: RegExp) => (err: unknown): boolean => awsErrorCode(err) === 'ValidationException' && what.test(awsErrorMessage(err));

/** Other endpoints that use `configName` (null: the check could not be completed). */
async function otherUsers(ctx: DeleteContext, endpoint: string, configName: string): Promise<string[] | { error: string }> {
  try {
    const names: string[] = [];
    for await (const page of endpointPages(ctx, false)) for (const e of page) if (e.EndpointName && e.EndpointName !== endpoint) names.push(e.EndpointName);
    const limit = createLimiter(8);
    const described = await Promise.all(names.map((n) => limit(() => describeEndpoint(ctx, n))));
    return described.filter((d) => d?.EndpointConfigName === configName).map((d) => d!.EndpointName ?? '');
  } catch (err) {
    if (isAbort(err)) throw err;
    return { error: `${awsErrorCode(err)}: ${awsErrorMessage(err)}` };
  }
}

/** The kind's `delete`. */
export async function deleteEndpoint(ctx: DeleteContext, stored: StoredFinding, dryRun: boolean): Promise<DeleteOutcome> {
  const refusal = protectionByTag(stored.tags, ctx.settings.protectionTagKey) ?? (stored.protected ? (stored.protectedReason ?? 'Protected') : null);
  if (refusal !== null) return { kind: 'refused', reason: refusal };
  if (dryRun) return { kind: 'checked', calls: [], note: 'SageMaker has no DryRun: verified by the re-check and an IAM permission check' };
  const action = ctx.action ?? 'delete';
  if (action !== 'delete') return { kind: 'failed', code: 'UnknownAction', message: `SageMaker endpoints have no action "${action}"` };
  const client = ctx.client(SageMakerClient);
  const name = stored.resourceId;
  const del = await removing(ctx, 'DeleteEndpoint', name, () => client.send(new DeleteEndpointCommand({ EndpointName: name }), { abortSignal: ctx.signal }), notFound(/Could not find endpoint "/));
  if (!del.ok) return del.outcome;
  const calls = [del.label];
  const configName = storedString(stored.details['endpointConfigName']);
  if (configName === null) return { kind: 'deleted', calls };
  const protection = partProtection('sagemaker:endpoint-config', configName, storedTags(stored.details['endpointConfigTags']), ctx.settings);
  if (protection.protected) return { kind: 'deleted', calls: [...calls, `endpoint configuration ${configName} kept: ${protection.protectedReason ?? 'protected'}`] };
  const users = await otherUsers(ctx, name, configName);
  if (!Array.isArray(users)) return { kind: 'deleted', calls: [...calls, `endpoint configuration ${configName} kept: whether another endpoint uses it could not be checked (${users.error})`] };
  if (users.length > 0) return { kind: 'deleted', calls: [...calls, `endpoint configuration ${configName} kept: also used by ${users.join(', ')}`] };
  const cfg = await removing(
    ctx,
    'DeleteEndpointConfig',
    configName,
    () => client.send(new DeleteEndpointConfigCommand({ EndpointConfigName: configName }), { abortSignal: ctx.signal }),
    notFound(/Could not find endpoint configuration/),
  );
  if (!cfg.ok) {
    const o = cfg.outcome;
    // The endpoint is deleted (what bills); the free configuration stays and the outcome says why.
    return { kind: 'deleted', calls: [...calls, `endpoint configuration ${configName} kept: ${'message' in o ? o.message : 'not deleted'}`] };
  }
  return { kind: 'deleted', calls: [...calls, cfg.label] };
}
