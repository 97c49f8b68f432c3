import { DEFAULT_HANDLER_SETTINGS } from './handler';
import {
  DescribeAddressesCommand,
  ReleaseAddressCommand,
} from '@aws-sdk/client-ec2';
import type { Address } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { idleElasticIpsHandler as handler } from './ec2-elastic-ips-idle';
import type { Finding, HandlerContext, StoredFinding } from './handler';
import { awsError, collectPages, ec2Mock, handlerContext as ctx, KEEP, recordingDeleteContext as deleteCtx } from './test-support';

const scanAll = (c: HandlerContext): Promise<Finding[][]> => collectPages(handler.scan(c));

const idle: Address = { AllocationId: 'eipalloc-1', PublicIp: '3.3.3.3', Domain: 'vpc', PublicIpv4Pool: 'amazon' };
const associated: Address = {
  AllocationId: 'eipalloc-2',
  PublicIp: '4.4.4.4',
  Domain: 'vpc',
  AssociationId: 'eipassoc-2',
  InstanceId: 'i-2',
  NetworkInterfaceId: 'eni-2',
};
const albManaged: Address = { AllocationId: 'eipalloc-3', PublicIp: '5.5.5.5', Domain: 'vpc', ServiceManaged: 'alb' };

function stored(f: Finding): StoredFinding {
  return { ...f, id: 1 };
}

beforeEach(() => {
  ec2Mock.reset();
});

describe('idle Elastic IPs: scan', () => {
  it('reports every address, flags the unassociated ones, skips service-managed ones', async () => {
    ec2Mock.on(DescribeAddressesCommand).resolves({ Addresses: [idle, associated, albManaged] });
    const c = ctx();
    const pages = await scanAll(c);
    expect(pages).toHaveLength(1);
    const [a, b] = pages[0] ?? [];
    expect(pages[0]).toHaveLength(2);
    expect(a).toMatchObject({
      resourceType: 'ec2:elastic-ip',
      resourceId: 'eipalloc-1',
      unused: true,
      unusedReason: 'Not associated with any instance or network interface',
      unusedSince: null,
      monthlyCost: 3.65,
      costBasis: 'public IPv4 730 h × $0.005 (us-east-1)',
      protected: false,
      details: { publicIp: '3.3.3.3', allocationId: 'eipalloc-1' },
    });
    // In use: still billed since Feb 2024, but not a finding.
    expect(b).toMatchObject({ resourceId: 'eipalloc-2', unused: false, unusedReason: null, monthlyCost: 3.65 });
    expect((ec2Mock.call(0).args as unknown[])[1]).toMatchObject({ abortSignal: c.signal });
  });

  it('an EC2-Classic-style address with an InstanceId but no AssociationId is in use', async () => {
    ec2Mock.on(DescribeAddressesCommand).resolves({
      Addresses: [{ PublicIp: '6.6.6.6', Domain: 'standard', InstanceId: 'i-6' }],
    });
    const [page] = await scanAll(ctx());
    expect(page?.[0]).toMatchObject({ resourceId: '6.6.6.6', unused: false });
  });

  it('cost is unknown without prices, and BYOIP addresses carry no public IPv4 charge', async () => {
    ec2Mock.on(DescribeAddressesCommand).resolves({
      Addresses: [idle, { AllocationId: 'eipalloc-9', PublicIp: '9.9.9.9', PublicIpv4Pool: 'ipv4pool-ec2-1' }],
    });
    const [unpriced] = await scanAll(ctx({ prices: null }));
    expect(unpriced?.[0]?.monthlyCost).toBeNull();
    expect(unpriced?.[0]?.costBasis).toMatch(/unknown/i);
    const [priced] = await scanAll(ctx());
    expect(priced?.[1]).toMatchObject({ monthlyCost: 0 });
    expect(priced?.[1]?.costBasis).toMatch(/BYOIP/);
  });

  it('the protection tag protects; the value false does not', async () => {
    ec2Mock.on(DescribeAddressesCommand).resolves({
      Addresses: [
        { ...idle, Tags: [{ Key: KEEP, Value: 'yes' }] },
        { ...idle, AllocationId: 'eipalloc-4', Tags: [{ Key: KEEP, Value: 'False' }] },
      ],
    });
    const [page] = await scanAll(ctx());
    expect(page?.[0]).toMatchObject({ unused: true, protected: true, protectedReason: `Tagged ${KEEP}=yes` });
    expect(page?.[1]).toMatchObject({ unused: true, protected: false, protectedReason: null });
  });
});

describe('idle Elastic IPs: recheck', () => {
  const storedIdle = async (): Promise<StoredFinding> => {
    ec2Mock.on(DescribeAddressesCommand).resolves({ Addresses: [idle] });
    const [page] = await scanAll(ctx());
    return stored(page?.[0] as Finding);
  };

  it('unchanged when still idle, asking by allocation id', async () => {
    const s = await storedIdle();
    ec2Mock.on(DescribeAddressesCommand).resolves({ Addresses: [idle] });
    const r = await handler.recheck(ctx(), s);
    expect(r.status).toBe('unchanged');
    expect(ec2Mock.commandCalls(DescribeAddressesCommand)[1]?.args[0].input).toEqual({ AllocationIds: ['eipalloc-1'] });
  });

  it('changed when it is now associated', async () => {
    const s = await storedIdle();
    ec2Mock.on(DescribeAddressesCommand).resolves({ Addresses: [{ ...idle, AssociationId: 'eipassoc-9', InstanceId: 'i-9' }] });
    const r = await handler.recheck(ctx(), s);
    expect(r).toMatchObject({ status: 'changed', reason: 'Now associated with i-9' });
  });

  it('gone when AWS answers NotFound or nothing', async () => {
    const s = await storedIdle();
    ec2Mock.on(DescribeAddressesCommand).rejects(awsError('InvalidAllocationID.NotFound'));
    expect((await handler.recheck(ctx(), s)).status).toBe('gone');
    ec2Mock.on(DescribeAddressesCommand).resolves({ Addresses: [] });
    expect((await handler.recheck(ctx(), s)).status).toBe('gone');
  });

  it('protected when the tag was added; the value false does not protect', async () => {
    const s = await storedIdle();
    ec2Mock.on(DescribeAddressesCommand).resolves({ Addresses: [{ ...idle, Tags: [{ Key: KEEP, Value: '' }] }] });
    expect(await handler.recheck(ctx(), s)).toMatchObject({ status: 'protected', reason: `Tagged ${KEEP}` });
    ec2Mock.on(DescribeAddressesCommand).resolves({ Addresses: [{ ...idle, Tags: [{ Key: KEEP, Value: 'false' }] }] });
    expect((await handler.recheck(ctx(), s)).status).toBe('unchanged');
  });

  it('other errors propagate', async () => {
    const s = await storedIdle();
    ec2Mock.on(DescribeAddressesCommand).rejects(awsError('RequestLimitExceeded'));
    await expect(handler.recheck(ctx(), s)).rejects.toThrow('RequestLimitExceeded');
  });
});

describe('idle Elastic IPs: delete', () => {
  const base = async (tags: Record<string, string> = {}): Promise<StoredFinding> => {
    ec2Mock.on(DescribeAddressesCommand).resolves({
      Addresses: [{ ...idle, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }],
    });
    const [page] = await scanAll(ctx());
    return stored(page?.[0] as Finding);
  };

  it('releases by allocation id, through audited', async () => {
    const s = await base();
    const c = deleteCtx();
    const inside: boolean[] = [];
    ec2Mock.on(ReleaseAddressCommand).callsFake(() => {
      inside.push(c.inside());
      return {};
    });
    expect(await handler.delete(c, s, { dryRun: false })).toEqual({ kind: 'deleted', calls: ['ReleaseAddress eipalloc-1'] });
    expect(ec2Mock.commandCalls(ReleaseAddressCommand)[0]?.args[0].input).toEqual({ AllocationId: 'eipalloc-1', DryRun: false });
    expect(c.log).toEqual([{ action: 'ReleaseAddress', target: 'eipalloc-1', dryRun: false }]);
    expect(inside).toEqual([true]);
  });

  it('dry run: DryRunOperation → dry-run-ok; UnauthorizedOperation → unauthorized', async () => {
    const s = await base();
    ec2Mock.on(ReleaseAddressCommand).rejects(awsError('DryRunOperation', 'Request would have succeeded'));
    const c = deleteCtx();
    expect(await handler.delete(c, s, { dryRun: true })).toEqual({ kind: 'dry-run-ok', calls: ['ReleaseAddress eipalloc-1 (dry run)'] });
    expect(ec2Mock.commandCalls(ReleaseAddressCommand)[0]?.args[0].input).toMatchObject({ DryRun: true });
    expect(c.log).toEqual([{ action: 'ReleaseAddress', target: 'eipalloc-1', dryRun: true }]);
    ec2Mock.on(ReleaseAddressCommand).rejects(awsError('UnauthorizedOperation', 'not allowed'));
    expect(await handler.delete(deleteCtx(), s, { dryRun: true })).toEqual({
      kind: 'unauthorized',
      code: 'UnauthorizedOperation',
      message: 'not allowed',
    });
  });

  it('InvalidIPAddress.InUse and AuthFailure → failed, never thrown', async () => {
    const s = await base();
    ec2Mock.on(ReleaseAddressCommand).rejects(awsError('InvalidIPAddress.InUse', 'in use'));
    expect(await handler.delete(deleteCtx(), s, { dryRun: false })).toEqual({
      kind: 'failed',
      code: 'InvalidIPAddress.InUse',
      message: 'in use',
    });
    ec2Mock.on(ReleaseAddressCommand).rejects(awsError('AuthFailure', 'auth'));
    expect(await handler.delete(deleteCtx(), s, { dryRun: false })).toMatchObject({ kind: 'failed', code: 'AuthFailure' });
  });

  it('a real (non-dry-run) DryRunOperation answer is not mistaken for success', async () => {
    const s = await base();
    ec2Mock.on(ReleaseAddressCommand).rejects(awsError('DryRunOperation'));
    expect(await handler.delete(deleteCtx(), s, { dryRun: false })).toMatchObject({ kind: 'failed' });
  });

  it('refuses a protected address without calling AWS; the value false does not protect', async () => {
    const s = await base({ [KEEP]: 'true' });
    const c = deleteCtx();
    expect(await handler.delete(c, s, { dryRun: false })).toEqual({ kind: 'refused', reason: `Tagged ${KEEP}=true` });
    expect(ec2Mock.commandCalls(ReleaseAddressCommand)).toHaveLength(0);
    expect(c.log).toEqual([]);

    const notProtected = await base({ [KEEP]: 'false' });
    ec2Mock.on(ReleaseAddressCommand).resolves({});
    expect((await handler.delete(deleteCtx(), notProtected, { dryRun: false })).kind).toBe('deleted');
  });

  it('has nothing related', async () => {
    expect(handler.parts(await base(), DEFAULT_HANDLER_SETTINGS, { snapshotVolumes: false }).parts).toEqual([]);
  });
});
