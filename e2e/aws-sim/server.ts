/**
 * The HTTP front. Service-agnostic: it attributes each request to a registered service (SigV4 credential scope →
 * signing name, see services/index.ts), counts it, applies the faults, the service's guard and the fixture's deny
 * list, runs the operation through the service's protocol, and renders errors in that protocol's shape.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApiError } from './api-error';
import { trackBilling } from './billing';
import type { Counters } from './counters';
import type { FaultInjector } from './faults';
import { ec2QueryErrorResponse } from './protocols/ec2-query';
import type { Call, CallContext, SimOptions, SimRequest, SimResponse, SimService } from './protocols/protocol';
import { defaultServices } from './services';
import type { ServiceRegistry } from './services';
import { accessKeyIdOf } from './services/sts';
import type { SimAccount } from './state';

export type { SimOptions } from './protocols/protocol';

export interface ServerDeps {
  account: SimAccount;
  faults: FaultInjector;
  counters: Counters;
  options: SimOptions;
  /** Default: the built-in services (and whatever was registered with `registerService`). */
  services?: ServiceRegistry;
}

/** `Credential=AKID/20261125/us-west-2/ec2/aws4_request` → { region, service }. */
export function credentialScope(authorization: string | undefined): { region: string; service: string } | undefined {
  const m = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return m?.[1] && m[2] ? { region: m[1], service: m[2] } : undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, r: SimResponse, requestId: string): void {
  res.writeHead(r.status, {
    ...r.headers,
    'content-length': Buffer.byteLength(r.body),
    'x-amzn-requestid': requestId,
    'x-amz-request-id': requestId,
  });
  res.end(r.body);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function createSimServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((e: unknown) => {
      // A simulator bug: answer 500 rather than hang the client.
      if (!res.headersSent) send(res, { status: 500, headers: { 'content-type': 'text/plain' }, body: `simulator error: ${String(e)}` }, randomUUID());
    });
  });
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://simulator');
  const request: SimRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body };
  const scope = credentialScope(req.headers.authorization);
  const regionName = scope?.region ?? 'us-east-1';
  const service = (deps.services ?? defaultServices).resolve(request, scope?.service);
  // The account: an AssumeRole session's (an ACTIVE member of the organization), else the simulator's own.
  const accessKeyId = accessKeyIdOf(req.headers.authorization);
  const session = accessKeyId === undefined ? undefined : deps.account.sessions.get(accessKeyId);
  const account = (session && deps.account.organization?.activeAccount(session.accountId)) ?? deps.account;

  if (!service) {
    // Nothing to attribute it to: EC2's error shape, as the simulator always answered.
    deps.counters.add(`unknown:${scope?.service ?? 'unsigned'}`, regionName, account.accountId);
    send(res, ec2QueryErrorResponse(new ApiError('MissingAuthenticationToken', 'Request is missing a SigV4 Authorization header with a known service', 403), requestId), requestId);
    return;
  }
  const call = service.open(request);
  deps.counters.add(`${service.signingName}:${call.operation}`, regionName, account.accountId);

  const ctx: CallContext = {
    account,
    ...(session ? { session } : {}),
    callerArn: session?.arn ?? account.arn,
    regionName,
    get region() {
      return account.region(regionName);
    },
    requestId,
    authorization: req.headers.authorization,
    options: deps.options,
    faults: deps.faults,
  };
  try {
    // The simulated bill follows what a successful call changed (billing.ts): a deletion shows in Cost Explorer.
    trackBilling(account, call.operation, 'before');
    const response = await run(deps, service, call.run.bind(call), ctx);
    if (response.status < 300) trackBilling(account, call.operation, 'after');
    send(res, response, requestId);
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError(service.internalFailureCode, `simulator error: ${String(e)}`, 500);
    send(res, service.errorResponse(err, requestId), requestId);
  }
}

/** An expired session's calls, in each protocol's words (STS's own guard answers the same). */
function expiredToken(service: SimService): ApiError {
  switch (service.protocol) {
    case 'ec2Query':
    case 'awsQuery':
      return new ApiError('ExpiredToken', 'The security token included in the request is expired', 403);
    case 'awsJson1_0':
    case 'awsJson1_1':
      return new ApiError('ExpiredTokenException', 'The security token included in the request is expired', 400);
    case 'restJson1':
      return new ApiError('ExpiredTokenException', 'The security token included in the request is expired', 403);
    case 'restXml':
      return new ApiError('ExpiredToken', 'The provided token has expired.', 400);
    default: {
      const never: never = service.protocol;
      return never;
    }
  }
}

/** Faults, the service's guard and the permission check, in that order, around the protocol's run. */
async function run(deps: ServerDeps, service: SimService, runCall: Call['run'], ctx: CallContext): Promise<SimResponse> {
  if (deps.faults.latencyMs > 0) await sleep(deps.faults.latencyMs);
  if (service.rejectsAuthFailureRegions && deps.faults.isAuthFailureRegion(ctx.regionName)) {
    throw new ApiError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
  }
  const roll = deps.faults.roll();
  if (roll === 'throttle') throw service.faultErrors.throttling;
  if (roll === 'server-error') throw service.faultErrors.serverError;
  if (ctx.session && ctx.session.expiration.getTime() <= Date.now()) throw expiredToken(service);
  service.guard?.(ctx);
  return runCall(ctx, (operation) => {
    if (service.permissionCheck === 'action' && ctx.account.isDenied(service.signingName, operation)) throw service.accessDenied(ctx, operation);
  });
}
