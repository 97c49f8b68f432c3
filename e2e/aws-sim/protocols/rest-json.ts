/**
 * The REST-JSON protocol (`restJson1`): EKS, OpenSearch, Lambda, API Gateway. The operation is chosen by HTTP method
 * + path template (`GET /clusters/{name}`), inputs come from path labels, the query string, headers and a JSON body;
 * results are a JSON body with the operation's success status (200, 201, 202, 204). Errors carry the code in the
 * `x-amzn-errortype` header and `{"message": "…"}` in the body, with the error's HTTP status.
 */
import { ApiError } from '../api-error';
import type { JsonObject } from './json';
import { parseJsonBody } from './json';
import type { CallContext, Operation, ServiceSpec, SimResponse, SimService } from './protocol';
import { bindService, header, notAuthorizedMessage, runCall } from './protocol';
import type { HttpMethod, RestInput } from './rest-routing';
import { compileRoute, findRoute, sortRoutes } from './rest-routing';

export interface RestJsonOperation {
  method: HttpMethod;
  /** The Smithy `@http` URI template: `/clusters/{name}/node-groups`. */
  path: string;
  /** The success status (default 200). */
  status?: number;
  /** Returns the response body (`undefined`: none). */
  handler: Operation<RestInput<JsonObject>, JsonObject | undefined>;
}

export interface RestJsonServiceSpec extends ServiceSpec {
  operations: Readonly<Record<string, RestJsonOperation>>;
  afterAuthorization?(ctx: CallContext, input: RestInput<JsonObject>, operation: string): void;
}

const CONTENT_TYPE = 'application/json';

export function restJsonErrorResponse(err: ApiError): SimResponse {
  return {
    status: err.status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-errortype': err.code },
    body: JSON.stringify({ message: err.message }),
  };
}

export function restJsonService(spec: RestJsonServiceSpec): SimService {
  const routes = sortRoutes(Object.entries(spec.operations).map(([name, op]) => compileRoute(name, op.method, op.path, op)));
  return bindService(spec, {
    protocol: 'restJson1',
    identifiedByRequest: false,
    faultErrors: {
      throttling: new ApiError('ThrottlingException', 'Rate exceeded', 429),
      serverError: new ApiError('InternalFailure', 'An internal error has occurred', 500),
    },
    internalFailureCode: 'InternalFailure',
    accessDenied: (ctx, permission) => new ApiError('AccessDeniedException', notAuthorizedMessage(ctx.callerArn, permission), 403),
    operations: Object.keys(spec.operations),
    recognises: (req) => {
      const type = header(req, 'content-type');
      return findRoute(routes, req) !== undefined && (type === '' || type.startsWith('application/json'));
    },
    open: (req) => {
      const found = findRoute(routes, req);
      const operation = found?.route.name ?? `${req.method} ${req.path}`;
      return {
        operation,
        run: (ctx, authorize) =>
          runCall(operation, ctx, authorize, {
            parse: (): RestInput<JsonObject> => ({ labels: found?.labels ?? {}, query: req.query, headers: req.headers, body: parseJsonBody(req.body) }),
            lookup: () => found?.route.value.handler,
            unknown: () => new ApiError('UnknownOperationException', `No operation matches ${req.method} ${req.path}`, 404),
            afterAuthorization: spec.afterAuthorization?.bind(spec),
            serialize: (out) => ({
              status: found?.route.value.status ?? 200,
              headers: { 'content-type': CONTENT_TYPE },
              body: out === undefined ? '' : JSON.stringify(out),
            }),
          }),
      };
    },
    errorResponse: (err) => restJsonErrorResponse(err),
  });
}
