/** EC2 Query API dispatch: Action → operation, DryRun and `deny` handling, XML envelopes. */
import { ApiError } from '../api-error';
import { el, XML_DECL } from '../xml';
import type { Ec2Context } from './describe';
import * as d from './describe';
import * as m from './mutate';

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export interface Ec2Options {
  snapshotCompletionDelayMs: number;
}

const OPERATIONS = {
  DescribeRegions: d.describeRegions,
  DescribeInstances: d.describeInstances,
  DescribeInstanceAttribute: d.describeInstanceAttribute,
  DescribeVolumes: d.describeVolumes,
  DescribeSnapshots: d.describeSnapshots,
  DescribeImages: d.describeImages,
  DescribeImageAttribute: d.describeImageAttribute,
  DescribeAddresses: d.describeAddresses,
  DescribeNatGateways: d.describeNatGateways,
  DescribeLaunchTemplates: d.describeLaunchTemplates,
  DescribeLaunchTemplateVersions: d.describeLaunchTemplateVersions,
  TerminateInstances: m.terminateInstances,
  DeleteVolume: m.deleteVolume,
  ReleaseAddress: m.releaseAddress,
  DeleteSnapshot: m.deleteSnapshot,
  DeregisterImage: m.deregisterImage,
  CreateSnapshot: null, // needs options; handled below
  CreateTags: m.createTags,
} as const;

export type Ec2Action = keyof typeof OPERATIONS;

export function isEc2Action(a: string): a is Ec2Action {
  return Object.prototype.hasOwnProperty.call(OPERATIONS, a);
}

function unauthorized(ctx: Ec2Context, action: string): ApiError {
  return new ApiError(
    'UnauthorizedOperation',
    `You are not authorized to perform this operation. User: ${ctx.account.arn} is not authorized to perform: ec2:${action} because no identity-based policy allows the ec2:${action} action`,
    403,
  );
}

/** Returns the full XML response body; throws ApiError for EC2 errors. */
export function handleEc2(ctx: Ec2Context, requestId: string, opts: Ec2Options): string {
  const action = ctx.p.get('Action') ?? '';
  if (!isEc2Action(action)) throw new ApiError('InvalidAction', `The action ${action} is not valid for this web service.`);
  if (ctx.account.isDenied('ec2', action)) throw unauthorized(ctx, action);
  // DryRun checks permissions only: "Request would have succeeded, but DryRun flag is set." (HTTP 412).
  if (ctx.p.bool('DryRun')) throw new ApiError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
  const op = OPERATIONS[action];
  const inner = op === null ? m.createSnapshot(ctx, opts.snapshotCompletionDelayMs) : op(ctx);
  return `${XML_DECL}<${action}Response xmlns="${EC2_XMLNS}">${el('requestId', requestId)}${inner}</${action}Response>`;
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html */
export function ec2ErrorXml(err: ApiError, requestId: string): string {
  return `${XML_DECL}<Response><Errors><Error>${el('Code', err.code)}${el('Message', err.message)}</Error></Errors>${el('RequestID', requestId)}</Response>`;
}
