/**
 * The HTTP front: reads the SigV4 credential scope to pick service and region (as AWS's front ends do),
 * applies faults, counts requests and renders each protocol's responses and errors.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApiError } from './api-error';
import { AUTOSCALING_XMLNS, handleAutoScaling } from './autoscaling';
import { getCostAndUsage, getDimensionValues } from './cost-explorer';
import type { CeOptions } from './cost-explorer';
import type { Counters } from './counters';
import { ec2ErrorXml, handleEc2 } from './ec2/handler';
import type { Ec2Options } from './ec2/handler';
import type { FaultInjector } from './faults';
import { QueryParams } from './query-params';
import type { SimAccount } from './state';
import { handleIam, handleSts, IAM_XMLNS, queryErrorXml, STS_XMLNS } from './sts-iam';

export type SimOptions = CeOptions & Ec2Options;

export interface ServerDeps {
  account: SimAccount;
  faults: FaultInjector;
  counters: Counters;
  options: SimOptions;
}

/** `Credential=AKID/20261125/us-west-2/ec2/aws4_request` → { region, service }. */
export function credentialScope(authorization: string | undefined): { region: string; service: string } | undefined {
  const m = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return m?.[1] && m[2] ? { region: m[1], service: m[2] } : undefined;
}

const CE_PREFIX = 'AWSInsightsIndexService.';
const CE_MESSAGES: Record<string, string> = {
  AccessDeniedException: 'User not enabled for cost explorer access',
  LimitExceededException: 'You have exceeded the rate limit for Cost Explorer requests.',
  DataUnavailableException: 'Data is not available. Please try to adjust the time period.',
  BillExpirationException: 'The requested time period is older than the bill expiration date.',
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string, requestId: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
    'x-amz-request-id': requestId,
    ...extra,
  });
  res.end(body);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Protocol = 'ec2' | 'ce' | 'sts' | 'iam' | 'autoscaling';

function protocolOf(service: string): Protocol | undefined {
  switch (service) {
    case 'ec2':
    case 'ce':
    case 'sts':
    case 'iam':
    case 'autoscaling':
      return service;
    default:
      return undefined;
  }
}

export function createSimServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((e: unknown) => {
      // A simulator bug: answer 500 rather than hang the client.
      if (!res.headersSent) send(res, 500, 'text/plain', `simulator error: ${String(e)}`, randomUUID());
    });
  });
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const requestId = randomUUID();
  const scope = credentialScope(req.headers.authorization);
  const target = String(req.headers['x-amz-target'] ?? '');
  const protocol = protocolOf(scope?.service ?? (target.startsWith(CE_PREFIX) ? 'ce' : ''));
  const region = scope?.region ?? 'us-east-1';

  const renderError = (p: Protocol | undefined, err: ApiError): void => {
    switch (p) {
      case 'ce':
        send(res, err.status, 'application/x-amz-json-1.1', JSON.stringify({ __type: err.code, message: err.message }), requestId, { 'x-amzn-errortype': err.code });
        return;
      case 'sts':
        send(res, err.status, 'text/xml', queryErrorXml(STS_XMLNS, err, requestId), requestId);
        return;
      case 'iam':
        send(res, err.status, 'text/xml', queryErrorXml(IAM_XMLNS, err, requestId), requestId);
        return;
      case 'autoscaling':
        send(res, err.status, 'text/xml', queryErrorXml(AUTOSCALING_XMLNS, err, requestId), requestId);
        return;
      case 'ec2':
      case undefined:
        send(res, err.status, 'text/xml;charset=UTF-8', ec2ErrorXml(err, requestId), requestId);
        return;
      default: {
        const never: never = p;
        throw new Error(`unhandled protocol ${String(never)}`);
      }
    }
  };

  if (!protocol) {
    deps.counters.add(`unknown:${scope?.service ?? 'unsigned'}`, region);
    renderError(undefined, new ApiError('MissingAuthenticationToken', 'Request is missing a SigV4 Authorization header with a known service', 403));
    return;
  }
  const params = protocol === 'ce' ? undefined : new QueryParams(body);
  const operation = protocol === 'ce' ? target.slice(CE_PREFIX.length) : (params?.get('Action') ?? '');
  deps.counters.add(`${protocol}:${operation}`, region);

  try {
    if (deps.faults.latencyMs > 0) await sleep(deps.faults.latencyMs);
    if (protocol === 'ec2' && deps.faults.isAuthFailureRegion(region)) {
      throw new ApiError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
    }
    const roll = deps.faults.roll();
    if (roll === 'throttle') {
      throw protocol === 'ec2'
        ? new ApiError('RequestLimitExceeded', 'Request limit exceeded.', 503)
        : protocol === 'ce'
          ? new ApiError('ThrottlingException', 'Rate exceeded', 400)
          : new ApiError('Throttling', 'Rate exceeded', 400); // STS/IAM/Auto Scaling's own code (the SDK retries it as throttling)
    }
    if (roll === 'server-error') {
      throw protocol === 'ec2'
        ? new ApiError('InternalError', 'An internal error has occurred', 500)
        : protocol === 'ce'
          ? new ApiError('InternalServerException', 'An internal error has occurred', 500)
          : new ApiError('InternalFailure', 'An internal error has occurred', 500);
    }
    switch (protocol) {
      case 'ec2': {
        const account = deps.account;
        const xml = handleEc2({ account, region: account.region(region), p: params as QueryParams }, requestId, deps.options);
        send(res, 200, 'text/xml;charset=UTF-8', xml, requestId);
        return;
      }
      case 'ce': {
        const ceFault = deps.faults.costExplorerError ?? (deps.account.costExplorerEnabled ? null : 'AccessDeniedException');
        if (ceFault) throw new ApiError(ceFault, CE_MESSAGES[ceFault] ?? ceFault);
        let input: Record<string, unknown>;
        try {
          input = JSON.parse(body || '{}') as Record<string, unknown>;
        } catch {
          throw new ApiError('SerializationException', 'Malformed JSON body');
        }
        const out =
          operation === 'GetCostAndUsage'
            ? getCostAndUsage(deps.account, input, deps.options)
            : operation === 'GetDimensionValues'
              ? getDimensionValues(deps.account, input, deps.options)
              : undefined;
        if (!out) throw new ApiError('UnknownOperationException', `Unknown operation ${operation}`);
        send(res, 200, 'application/x-amz-json-1.1', JSON.stringify(out), requestId);
        return;
      }
      case 'sts':
        send(res, 200, 'text/xml', handleSts(deps.account, params as QueryParams, requestId, req.headers.authorization), requestId);
        return;
      case 'iam':
        send(res, 200, 'text/xml', handleIam(deps.account, params as QueryParams, requestId), requestId);
        return;
      case 'autoscaling': {
        const account = deps.account;
        send(res, 200, 'text/xml', handleAutoScaling(account, account.region(region), params as QueryParams, requestId), requestId);
        return;
      }
      default: {
        const never: never = protocol;
        throw new Error(`unhandled protocol ${String(never)}`);
      }
    }
  } catch (e) {
    if (e instanceof ApiError) renderError(protocol, e);
    else renderError(protocol, new ApiError(protocol === 'ec2' ? 'InternalError' : 'InternalFailure', `simulator error: ${String(e)}`, 500));
  }
}
