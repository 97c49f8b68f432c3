/**
 * The REST-XML protocol (`restXml`): S3, and Route 53 / CloudFront. The operation is chosen by HTTP method + path
 * template (`GET /{Bucket}?list-type=2`, `PUT /{Bucket}/{Key+}`); inputs come from path labels, the query string,
 * headers and the raw body; a result is an XML document whose root the operation declares (`output`), in the
 * service's namespace. Errors have two shapes:
 * - `s3`: `<Error><Code/><Message/><RequestId/></Error>` (S3's own; throttling is `SlowDown` 503);
 * - `standard`: `<ErrorResponse xmlns><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/>`.
 */
import { ApiError } from '../api-error';
import type { CallContext, Operation, ServiceSpec, SimResponse, SimService } from './protocol';
import { bindService, notAuthorizedMessage, runCall } from './protocol';
import type { HttpMethod, RestInput } from './rest-routing';
import { compileRoute, findRoute, sortRoutes } from './rest-routing';
import { el, XML_DECL } from './xml';

export interface RestXmlOperation {
  method: HttpMethod;
  /** The Smithy `@http` URI template: `/{Bucket}?list-type=2`. */
  path: string;
  /** The success status (default 200). */
  status?: number;
  /** The root element the result is wrapped in (`ListBucketResult`); absent: the body is empty. */
  output?: string;
  /** Returns the inner XML of the `output` element. */
  handler: Operation<RestInput<string>, string | undefined>;
}

export type RestXmlErrorStyle = 's3' | 'standard';

export interface RestXmlServiceSpec extends ServiceSpec {
  xmlNamespace: string;
  operations: Readonly<Record<string, RestXmlOperation>>;
  /** Default `standard`. */
  errorStyle?: RestXmlErrorStyle;
  afterAuthorization?(ctx: CallContext, input: RestInput<string>, operation: string): void;
}

const CONTENT_TYPE = 'application/xml';

export function restXmlErrorResponse(style: RestXmlErrorStyle, xmlns: string, err: ApiError, requestId: string): SimResponse {
  const fields = `${el('Code', err.code)}${el('Message', err.message)}`;
  const body =
    style === 's3'
      ? `<Error>${fields}${el('RequestId', requestId)}</Error>`
      : `<ErrorResponse xmlns="${xmlns}"><Error><Type>${err.status >= 500 ? 'Receiver' : 'Sender'}</Type>${fields}</Error>${el('RequestId', requestId)}</ErrorResponse>`;
  return { status: err.status, headers: { 'content-type': CONTENT_TYPE }, body: `${XML_DECL}${body}` };
}

export function restXmlService(spec: RestXmlServiceSpec): SimService {
  const style = spec.errorStyle ?? 'standard';
  const routes = sortRoutes(Object.entries(spec.operations).map(([name, op]) => compileRoute(name, op.method, op.path, op)));
  return bindService(spec, {
    protocol: 'restXml',
    identifiedByRequest: false,
    faultErrors:
      style === 's3'
        ? {
            throttling: new ApiError('SlowDown', 'Please reduce your request rate.', 503),
            serverError: new ApiError('InternalError', 'We encountered an internal error. Please try again.', 500),
          }
        : {
            throttling: new ApiError('Throttling', 'Rate exceeded', 400),
            serverError: new ApiError('InternalFailure', 'An internal error has occurred', 500),
          },
    internalFailureCode: style === 's3' ? 'InternalError' : 'InternalFailure',
    accessDenied: (ctx, permission) =>
      new ApiError('AccessDenied', style === 's3' ? 'Access Denied' : notAuthorizedMessage(ctx.callerArn, permission), 403),
    xmlNamespace: spec.xmlNamespace,
    operations: Object.keys(spec.operations),
    recognises: (req) => findRoute(routes, req) !== undefined,
    open: (req) => {
      const found = findRoute(routes, req);
      const operation = found?.route.name ?? `${req.method} ${req.path}`;
      return {
        operation,
        run: (ctx, authorize) =>
          runCall(operation, ctx, authorize, {
            parse: (): RestInput<string> => ({ labels: found?.labels ?? {}, query: req.query, headers: req.headers, body: req.body }),
            lookup: () => found?.route.value.handler,
            unknown: () => new ApiError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405),
            afterAuthorization: spec.afterAuthorization?.bind(spec),
            serialize: (inner): SimResponse => {
              const root = found?.route.value.output;
              const headers: Record<string, string> = root === undefined && inner === undefined ? {} : { 'content-type': CONTENT_TYPE };
              return {
                status: found?.route.value.status ?? 200,
                headers,
                body: root === undefined ? (inner ?? '') : `${XML_DECL}<${root} xmlns="${spec.xmlNamespace}">${inner ?? ''}</${root}>`,
              };
            },
          }),
      };
    },
    errorResponse: (err, requestId) => restXmlErrorResponse(style, spec.xmlNamespace, err, requestId),
  });
}
