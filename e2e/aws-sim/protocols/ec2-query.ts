/**
 * The EC2 Query protocol (`ec2Query`), EC2's own variant of AWS Query: form parameters (`Action`, `Version`,
 * `Filter.1.Name`, `InstanceId.1`), results as `<ActionResponse xmlns><requestId/>…</ActionResponse>` with the
 * SDK's lower-camel `xmlName`s and `<item>` lists, errors as `<Response><Errors><Error>…</Errors><RequestID/>`.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html
 */
import { ApiError } from '../api-error';
import type { CallContext, Operation, ServiceSpec, SimRequest, SimResponse, SimService } from './protocol';
import { bindService, notAuthorizedMessage, own, runCall } from './protocol';
import type { QueryParams } from './query-params';
import { queryParamsOf } from './query-params';
import { el, XML_DECL } from './xml';

/** Returns the inner XML of `<ActionResponse>` (after `<requestId>`). */
export type Ec2QueryOperation = Operation<QueryParams, string>;

export interface Ec2QueryServiceSpec extends ServiceSpec {
  xmlNamespace: string;
  operations: Readonly<Record<string, Ec2QueryOperation>>;
  /** Runs after the permission check, before the operation: EC2's `DryRun`. */
  afterAuthorization?(ctx: CallContext, params: QueryParams, action: string): void;
}

const CONTENT_TYPE = 'text/xml;charset=UTF-8';

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html */
export function ec2QueryErrorResponse(err: ApiError, requestId: string): SimResponse {
  return {
    status: err.status,
    headers: { 'content-type': CONTENT_TYPE },
    body: `${XML_DECL}<Response><Errors><Error>${el('Code', err.code)}${el('Message', err.message)}</Error></Errors>${el('RequestID', requestId)}</Response>`,
  };
}

export function ec2QueryService(spec: Ec2QueryServiceSpec): SimService {
  return bindService(spec, {
    protocol: 'ec2Query',
    identifiedByRequest: false,
    faultErrors: {
      throttling: new ApiError('RequestLimitExceeded', 'Request limit exceeded.', 503),
      serverError: new ApiError('InternalError', 'An internal error has occurred', 500),
    },
    internalFailureCode: 'InternalError',
    accessDenied: (ctx, permission) =>
      new ApiError('UnauthorizedOperation', `You are not authorized to perform this operation. ${notAuthorizedMessage(ctx.callerArn, permission)}`, 403),
    xmlNamespace: spec.xmlNamespace,
    operations: Object.keys(spec.operations),
    // EC2 accepts every API version it ever published, so only the Action is needed.
    recognises: (req: SimRequest) => (queryParamsOf(req).get('Action') ?? '') !== '',
    open: (req) => {
      const params = queryParamsOf(req);
      const action = params.get('Action') ?? '';
      return {
        operation: action,
        run: (ctx, authorize) =>
          runCall(action, ctx, authorize, {
            parse: () => params,
            lookup: () => own(spec.operations, action),
            unknown: () => new ApiError('InvalidAction', `The action ${action} is not valid for this web service.`),
            afterAuthorization: spec.afterAuthorization?.bind(spec),
            serialize: (inner) => ({
              status: 200,
              headers: { 'content-type': CONTENT_TYPE },
              body: `${XML_DECL}<${action}Response xmlns="${spec.xmlNamespace}">${el('requestId', ctx.requestId)}${inner}</${action}Response>`,
            }),
          }),
      };
    },
    errorResponse: ec2QueryErrorResponse,
  });
}
