/**
 * What every wire protocol module and every service module share: the request as the simulator read it, the
 * response it sends, the context an operation runs in, the service contract the registry dispatches on, and the
 * one order in which a call is checked and run.
 *
 * A protocol module (ec2-query.ts, aws-query.ts, json.ts, rest-json.ts, rest-xml.ts) exports a `…Service(spec)`
 * function that turns a service's declaration (signing name, API version, namespace or target prefix, operations)
 * into a `SimService`: it knows how to recognise that service's requests, name the operation, parse the input,
 * serialize the result and render the protocol's error shape. The services (services/*.ts) only declare.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiError } from '../api-error';
import type { FaultInjector } from '../faults';
import type { SimAccount, SimRegion, SimSession } from '../state';

export type ProtocolName = 'ec2Query' | 'awsQuery' | 'awsJson1_0' | 'awsJson1_1' | 'restJson1' | 'restXml';

/** An HTTP request as the simulator read it. */
export interface SimRequest {
  method: string;
  /** The raw (still percent-encoded) path, without the query string: `/`, `/clusters/web`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What a protocol answers; the server adds content-length and the request-id headers. */
export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Runtime options (`startSimulator(opts)`, `sim.configure(o)`). Each service module adds its own members by
 * declaration merging (`declare module '../protocols/protocol' { interface SimOptions { … } }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the service modules
export interface SimOptions {}

/** Everything an operation may need. */
export interface CallContext {
  account: SimAccount;
  /** The region of the SigV4 credential scope (`us-east-1` for unsigned requests). */
  regionName: string;
  /** `account.region(regionName)`, created on first use (regions never mentioned by the fixture are empty). */
  readonly region: SimRegion;
  requestId: string;
  /** The request's `Authorization` header (STS tells the base user from an assumed-role session by its key). */
  authorization: string | undefined;
  /** The AssumeRole session whose access key signed the request (its account is `account`), if any. */
  session?: SimSession;
  /** Who signed: the session's assumed-role ARN, else the account's user (`account.arn`). */
  callerArn: string;
  options: Readonly<SimOptions>;
  faults: FaultInjector;
}

/** An operation: the parsed input in, the protocol's result out (inner XML for the Query protocols, JSON, …). */
export type Operation<I, O> = (ctx: CallContext, input: I) => O | Promise<O>;

/** The errors a service answers for injected faults. */
export interface FaultErrors {
  throttling: ApiError;
  serverError: ApiError;
}

/** A request attributed to a service: the operation it names (maybe unknown to the service) and how to run it. */
export interface Call {
  /** As the request names it (`DescribeVolumes`; `''` when it names none); counted as `signingName:operation`. */
  operation: string;
  /**
   * Parses the input, looks the operation up (unknown → the protocol's error), calls `authorize` (the fixture's deny
   * list), the service's `afterAuthorization` hook, the operation, and serializes the result.
   */
  run(ctx: CallContext, authorize: (operation: string) => void): Promise<SimResponse>;
}

/** What every service declares, whatever its protocol. */
export interface ServiceSpec {
  /** Unique in a registry, for humans: `EC2`, `Auto Scaling`, `Cost Explorer`. */
  name: string;
  /**
   * The SigV4 signing name (`ec2`, `autoscaling`, `ce`, `monitoring`, `elasticloadbalancing`): the credential scope's
   * service, which is how the simulator (one host for all) attributes a request, and the prefix of its IAM actions
   * (`deny: ['autoscaling:DescribeLaunchConfigurations']`) and of its request counters.
   */
  signingName: string;
  /** The endpoint prefix (`<prefix>.<region>.amazonaws.com`); informational. Default: the signing name. */
  endpointPrefix?: string;
  /** The API version (`2016-11-15`, `2011-01-01`, `2017-10-25`). */
  version: string;
  /** Answer `AuthFailure` (401) in `Faults.authFailureRegions`, as a region that is not enabled does. */
  rejectsAuthFailureRegions?: boolean;
  /**
   * `action` (default): the pipeline denies `signingName:Operation` from the fixture's deny list before the operation
   * runs. `in-operation`: the operations check it themselves (STS AssumeRole names the role, after validating input).
   */
  permissionCheck?: 'action' | 'in-operation';
  /** The error for a denied action; default: the protocol's (`UnauthorizedOperation`, `AccessDenied`, …). */
  accessDenied?(ctx: CallContext, action: string): ApiError;
  /** Injected throttling / 5xx errors; default: the protocol's. */
  faultErrors?: Partial<FaultErrors>;
  /** Runs after faults, before the input is parsed: Cost Explorer "not enabled", STS's expired session. */
  guard?(ctx: CallContext): void;
}

/** A service bound to its protocol: what the registry holds and the server dispatches on. */
export interface SimService {
  readonly name: string;
  readonly signingName: string;
  readonly endpointPrefix: string;
  readonly protocol: ProtocolName;
  readonly version: string;
  /** The XML namespace (Query / REST-XML services). */
  readonly xmlNamespace?: string;
  /** The X-Amz-Target prefix (JSON services). */
  readonly targetPrefix?: string;
  readonly operations: readonly string[];
  /** The request itself names the service (X-Amz-Target), so an unsigned request can still be attributed. */
  readonly identifiedByRequest: boolean;
  readonly rejectsAuthFailureRegions: boolean;
  readonly permissionCheck: 'action' | 'in-operation';
  readonly faultErrors: FaultErrors;
  /** The code for a simulator bug (a non-ApiError thrown): `InternalError` (EC2, S3) or `InternalFailure`. */
  readonly internalFailureCode: string;
  accessDenied(ctx: CallContext, action: string): ApiError;
  guard?(ctx: CallContext): void;
  /** Is this request in this service's protocol shape (content type, target, Version, path)? */
  recognises(req: SimRequest): boolean;
  open(req: SimRequest): Call;
  errorResponse(err: ApiError, requestId: string): SimResponse;
}

/** What a protocol module supplies when binding a service. */
export interface ProtocolBinding {
  protocol: ProtocolName;
  identifiedByRequest: boolean;
  faultErrors: FaultErrors;
  internalFailureCode: string;
  accessDenied(ctx: CallContext, permission: string): ApiError;
  xmlNamespace?: string;
  targetPrefix?: string;
  operations: readonly string[];
  recognises(req: SimRequest): boolean;
  open(req: SimRequest): Call;
  errorResponse(err: ApiError, requestId: string): SimResponse;
}

export function bindService(spec: ServiceSpec, b: ProtocolBinding): SimService {
  return {
    name: spec.name,
    signingName: spec.signingName,
    endpointPrefix: spec.endpointPrefix ?? spec.signingName,
    protocol: b.protocol,
    version: spec.version,
    ...(b.xmlNamespace === undefined ? {} : { xmlNamespace: b.xmlNamespace }),
    ...(b.targetPrefix === undefined ? {} : { targetPrefix: b.targetPrefix }),
    operations: b.operations,
    identifiedByRequest: b.identifiedByRequest,
    rejectsAuthFailureRegions: spec.rejectsAuthFailureRegions ?? false,
    permissionCheck: spec.permissionCheck ?? 'action',
    faultErrors: { ...b.faultErrors, ...spec.faultErrors },
    internalFailureCode: b.internalFailureCode,
    accessDenied: (ctx, action) => spec.accessDenied?.(ctx, action) ?? b.accessDenied(ctx, `${spec.signingName}:${action}`),
    ...(spec.guard ? { guard: spec.guard } : {}),
    recognises: b.recognises,
    open: b.open,
    errorResponse: b.errorResponse,
  };
}

/** IAM's wording: `User: arn is not authorized to perform: ec2:DeleteVolume because no identity-based policy allows …`. */
export function notAuthorizedMessage(callerArn: string, permission: string, resource?: string): string {
  const on = resource === undefined ? '' : ` on resource: ${resource}`;
  return `User: ${callerArn} is not authorized to perform: ${permission}${on} because no identity-based policy allows the ${permission} action`;
}

/** The protocol-independent order of a call once it has been attributed and has passed the faults and the guard. */
export interface CallSteps<I, O> {
  parse(): I;
  /** The operation, or undefined when the service has none by that name (or for that version). */
  lookup(input: I): Operation<I, O> | undefined;
  unknown(): ApiError;
  /** The service's hook between the permission check and the operation (EC2's DryRun). */
  afterAuthorization?: ((ctx: CallContext, input: I, operation: string) => void) | undefined;
  serialize(output: O): SimResponse;
}

export async function runCall<I, O>(
  operation: string,
  ctx: CallContext,
  authorize: (operation: string) => void,
  steps: CallSteps<I, O>,
): Promise<SimResponse> {
  const input = steps.parse();
  const op = steps.lookup(input);
  if (!op) throw steps.unknown();
  authorize(operation);
  steps.afterAuthorization?.(ctx, input, operation);
  return steps.serialize(await op(ctx, input));
}

/** Own keys only: an operation named `constructor` or `toString` is unknown, not Object.prototype's. */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** A header's single value (`x-amz-target`, `content-type`), '' when absent. */
export function header(req: SimRequest, name: string): string {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}
