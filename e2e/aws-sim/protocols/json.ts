/**
 * The AWS JSON protocols (`awsJson1_0`, `awsJson1_1`): `POST /` with `X-Amz-Target: <TargetPrefix>.<Operation>` and
 * `Content-Type: application/x-amz-json-1.0|1.1`; the body is the input as JSON, the result is JSON; errors are
 * `{"__type": "Code", "message": "…"}` with the same content type and an `x-amzn-errortype` header.
 *
 * 1.1: Cost Explorer (`AWSInsightsIndexService`), CloudWatch Logs (`Logs_20140328`), ECR, KMS (`TrentService`),
 * Secrets Manager, SageMaker. 1.0: CloudWatch (`GraniteServiceVersion20100801`, signing name `monitoring`: recent
 * SDK v3 clients send GetMetricData this way rather than AWS Query), SQS, DynamoDB. CloudWatch and SQS are also
 * `awsQueryCompatible`: the client sends `x-amzn-query-mode: true` and reads the Query-style error code from the
 * `x-amzn-query-error: Code;Sender` header, which `queryCompatible: true` adds.
 *
 * The target names the service, so an unsigned request can still be attributed (`identifiedByRequest`).
 */
import { ApiError } from '../api-error';
import type { CallContext, Operation, ServiceSpec, SimRequest, SimResponse, SimService } from './protocol';
import { bindService, header, notAuthorizedMessage, own, runCall } from './protocol';

export type JsonObject = Record<string, unknown>;
export type JsonOperation = Operation<JsonObject, JsonObject>;

export interface JsonServiceSpec extends ServiceSpec {
  /** `1.0` → awsJson1_0, `1.1` → awsJson1_1. */
  jsonVersion: '1.0' | '1.1';
  /** The X-Amz-Target prefix before the dot: `AWSInsightsIndexService`. */
  targetPrefix: string;
  operations: Readonly<Record<string, JsonOperation>>;
  /** `awsQueryCompatible` services (CloudWatch, SQS): errors also carry `x-amzn-query-error: Code;Sender|Receiver`. */
  queryCompatible?: boolean;
  afterAuthorization?(ctx: CallContext, input: JsonObject, operation: string): void;
}

export function jsonContentType(version: '1.0' | '1.1'): string {
  return `application/x-amz-json-${version}`;
}

export function jsonErrorResponse(version: '1.0' | '1.1', err: ApiError, queryCompatible = false): SimResponse {
  return {
    status: err.status,
    headers: {
      'content-type': jsonContentType(version),
      'x-amzn-errortype': err.code,
      ...(queryCompatible ? { 'x-amzn-query-error': `${err.code};${err.status >= 500 ? 'Receiver' : 'Sender'}` } : {}),
    },
    body: JSON.stringify({ __type: err.code, message: err.message }),
  };
}

export function parseJsonBody(body: string): JsonObject {
  try {
    return JSON.parse(body || '{}') as JsonObject;
  } catch {
    throw new ApiError('SerializationException', 'Malformed JSON body');
  }
}

export function jsonService(spec: JsonServiceSpec): SimService {
  const prefix = `${spec.targetPrefix}.`;
  const contentType = jsonContentType(spec.jsonVersion);
  return bindService(spec, {
    protocol: spec.jsonVersion === '1.0' ? 'awsJson1_0' : 'awsJson1_1',
    identifiedByRequest: true,
    faultErrors: {
      throttling: new ApiError('ThrottlingException', 'Rate exceeded', 400),
      serverError: new ApiError('InternalFailure', 'An internal error has occurred', 500),
    },
    internalFailureCode: 'InternalFailure',
    accessDenied: (ctx, permission) => new ApiError('AccessDeniedException', notAuthorizedMessage(ctx.callerArn, permission), 400),
    targetPrefix: spec.targetPrefix,
    operations: Object.keys(spec.operations),
    recognises: (req: SimRequest) => {
      const type = header(req, 'content-type');
      return header(req, 'x-amz-target').startsWith(prefix) && (type === '' || type.startsWith('application/x-amz-json-'));
    },
    open: (req) => {
      const target = header(req, 'x-amz-target');
      const operation = target.startsWith(prefix) ? target.slice(prefix.length) : target;
      return {
        operation,
        run: (ctx, authorize) =>
          runCall(operation, ctx, authorize, {
            parse: () => parseJsonBody(req.body),
            lookup: () => own(spec.operations, operation),
            unknown: () => new ApiError('UnknownOperationException', `Unknown operation ${operation}`),
            afterAuthorization: spec.afterAuthorization?.bind(spec),
            serialize: (out) => ({ status: 200, headers: { 'content-type': contentType }, body: JSON.stringify(out) }),
          }),
      };
    },
    errorResponse: (err) => jsonErrorResponse(spec.jsonVersion, err, spec.queryCompatible),
  });
}
