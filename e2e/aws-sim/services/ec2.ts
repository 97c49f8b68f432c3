/**
 * Amazon EC2 over the EC2 Query protocol (signing name `ec2`, API 2016-11-15). The operations live in ec2/:
 * describe.ts (Describe*, DescribeRouteTables, DescribeVpcEndpoints), mutate.ts (deletes incl. DeleteNatGateway,
 * DeleteRoute, DeleteVpcEndpoints; CreateSnapshot, CreateTags), images.ts (CreateImage: an AMI and its snapshots,
 * `pending` → `available`), render.ts (XML), filters.ts, paging.ts, tag-specs.ts.
 * EC2's `DryRun` is answered here, after the permission check: denied → UnauthorizedOperation (403, from the
 * pipeline), allowed → DryRunOperation (412); no other check runs.
 */
import { ApiError } from '../api-error';
import type { Ec2QueryOperation } from '../protocols/ec2-query';
import type { SimOptions } from '../protocols/protocol';
import { ec2QueryService } from '../protocols/ec2-query';
import type { Ec2Context } from './ec2/describe';
import * as d from './ec2/describe';
import * as im from './ec2/images';
import * as m from './ec2/mutate';

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
export const EC2_VERSION = '2016-11-15';

declare module '../protocols/protocol' {
  interface SimOptions {
    /** CreateSnapshot → completed after this many ms (0: at the next Describe). */
    snapshotCompletionDelayMs: number;
    /**
     * DeleteNatGateway / DeleteVpcEndpoints: `deleting` → `deleted` after this many wall-clock ms (default 0: by the
     * next EC2 call). Optional: set it with `sim.configure({ networkDeletionDelayMs })`.
     */
    networkDeletionDelayMs?: number;
    /**
     * CreateImage: the AMI ends `failed` with this StateReason message instead of `available` (null or absent: it
     * succeeds once its snapshots complete). Set it with `sim.configure({ imageCreationFailure })`.
     */
    imageCreationFailure?: string | null;
  }
}

export type Ec2Options = Pick<SimOptions, 'snapshotCompletionDelayMs' | 'networkDeletionDelayMs' | 'imageCreationFailure'>;

/**
 * Adapts an ec2/ operation (`{ account, region, p }`) to the protocol's `(ctx, params)`. Deletions in progress
 * (NAT gateways, VPC endpoints) settle first, so every call sees the state their delay implies.
 */
const op =
  (f: (c: Ec2Context, options: Readonly<SimOptions>) => string): Ec2QueryOperation =>
  (ctx, p) => {
    m.settleNetwork(ctx.region);
    return f({ account: ctx.account, region: ctx.region, p }, ctx.options);
  };

export const ec2Service = ec2QueryService({
  name: 'EC2',
  signingName: 'ec2',
  version: EC2_VERSION,
  xmlNamespace: EC2_XMLNS,
  rejectsAuthFailureRegions: true,
  operations: {
    DescribeRegions: op(d.describeRegions),
    DescribeInstances: op(d.describeInstances),
    DescribeInstanceAttribute: op(d.describeInstanceAttribute),
    DescribeVolumes: op(d.describeVolumes),
    DescribeSnapshots: op(d.describeSnapshots),
    DescribeImages: op(d.describeImages),
    DescribeImageAttribute: op(d.describeImageAttribute),
    DescribeAddresses: op(d.describeAddresses),
    DescribeNatGateways: op(d.describeNatGateways),
    DescribeRouteTables: op(d.describeRouteTables),
    DescribeVpcEndpoints: op(d.describeVpcEndpoints),
    DescribeLaunchTemplates: op(d.describeLaunchTemplates),
    DescribeLaunchTemplateVersions: op(d.describeLaunchTemplateVersions),
    TerminateInstances: op(m.terminateInstances),
    DeleteVolume: op(m.deleteVolume),
    ReleaseAddress: op(m.releaseAddress),
    DeleteSnapshot: op(m.deleteSnapshot),
    DeregisterImage: op(m.deregisterImage),
    CreateSnapshot: op((c, o) => m.createSnapshot(c, o.snapshotCompletionDelayMs)),
    CreateImage: op((c, o) => im.createImage(c, o)),
    CreateTags: op(m.createTags),
    DeleteNatGateway: op((c, o) => m.deleteNatGateway(c, o.networkDeletionDelayMs ?? 0)),
    DeleteRoute: op(m.deleteRoute),
    DeleteVpcEndpoints: op((c, o) => m.deleteVpcEndpoints(c, o.networkDeletionDelayMs ?? 0)),
  },
  // DryRun checks permissions only: "Request would have succeeded, but DryRun flag is set." (HTTP 412).
  afterAuthorization: (_ctx, p) => {
    if (p.bool('DryRun')) throw new ApiError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
  },
});
