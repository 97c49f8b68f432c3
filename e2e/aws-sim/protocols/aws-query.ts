/**
 * The AWS Query protocol (`awsQuery`): Auto Scaling, STS, IAM, and later Elastic Load Balancing, RDS, ElastiCache,
 * Redshift, SNS, CloudWatch's older API. Form parameters (`Action`, `Version`, `Names.member.1`); results as
 * `<ActionResponse xmlns><ActionResult>…</ActionResult><ResponseMetadata><RequestId/></ResponseMetadata>`; errors as
 * `<ErrorResponse xmlns><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 *
 * Services that share a signing name (ELB `2012-06-01` and ELBv2 `2015-12-01` both sign as `elasticloadbalancing`)
 * are told apart by `Version`: `recognises` matches it, and an operation asked for another version is unknown.
 */
import { ApiError } from '../api-error';
import type { CallContext, Operation, ServiceSpec, SimRequest, SimResponse, SimService } from './protocol';
import { bindService, notAuthorizedMessage, own, runCall } from './protocol';
import type { QueryParams } from './query-params';
import { queryParamsOf } from './query-params';
import { el, XML_DECL } from './xml';

/** Returns the inner XML of `<ActionResult>`; `undefined` for operations without a result (only ResponseMetadata). */
export type AwsQueryOperation = Operation<QueryParams, string | undefined>;

export interface AwsQueryServiceSpec extends ServiceSpec {
  xmlNamespace: string;
  operations: Readonly<Record<string, AwsQueryOperation>>;
  afterAuthorization?(ctx: CallContext, params: QueryParams, action: string): void;
}

const CONTENT_TYPE = 'text/xml';

export function awsQueryErrorResponse(xmlns: string, err: ApiError, requestId: string): SimResponse {
  const type = err.status >= 500 ? 'Receiver' : 'Sender';
  return {
    status: err.status,
    headers: { 'content-type': CONTENT_TYPE },
    body: `${XML_DECL}<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type>${el('Code', err.code)}${el('Message', err.message)}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

export function awsQueryResponse(action: string, xmlns: string, result: string | undefined, requestId: string): SimResponse {
  const body = result === undefined ? '' : `<${action}Result>${result}</${action}Result>`;
  return {
    status: 200,
    headers: { 'content-type': CONTENT_TYPE },
    body: `${XML_DECL}<${action}Response xmlns="${xmlns}">${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

export function awsQueryService(spec: AwsQueryServiceSpec): SimService {
  return bindService(spec, {
    protocol: 'awsQuery',
    identifiedByRequest: false,
    faultErrors: {
      // STS/IAM/Auto Scaling's own code (the SDK retries it as throttling).
      throttling: new ApiError('Throttling', 'Rate exceeded', 400),
      serverError: new ApiError('InternalFailure', 'An internal error has occurred', 500),
    },
    internalFailureCode: 'InternalFailure',
    accessDenied: (ctx, permission) => new ApiError('AccessDenied', notAuthorizedMessage(ctx.callerArn, permission), 403),
    xmlNamespace: spec.xmlNamespace,
    operations: Object.keys(spec.operations),
    recognises: (req: SimRequest) => {
      const p = queryParamsOf(req);
      return (p.get('Action') ?? '') !== '' && p.get('Version') === spec.version;
    },
    open: (req) => {
      const params = queryParamsOf(req);
      const action = params.get('Action') ?? '';
      return {
        operation: action,
        run: (ctx, authorize) =>
          runCall(action, ctx, authorize, {
            parse: () => params,
            lookup: () => (params.get('Version') === spec.version ? own(spec.operations, action) : undefined),
            unknown: () => new ApiError('InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? ''}`),
            afterAuthorization: spec.afterAuthorization?.bind(spec),
            serialize: (result) => awsQueryResponse(action, spec.xmlNamespace, result, ctx.requestId),
          }),
      };
    },
    errorResponse: (err, requestId) => awsQueryErrorResponse(spec.xmlNamespace, err, requestId),
  });
}
