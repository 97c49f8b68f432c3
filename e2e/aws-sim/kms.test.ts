/**
 * The simulator's KMS (JSON 1.1, TrentService) against the real `@aws-sdk/client-kms`: ListKeys / ListAliases paging
 * (Limit, Marker, Truncated), DescribeKey by id, ARN and alias, ListKeyRotations, ListResourceTags,
 * ScheduleKeyDeletion (window 7–30, already pending, multi-Region primary with replicas), CancelKeyDeletion, the
 * model's errors, and `kms:key` in tag:GetResources.
 */
import {
  CancelKeyDeletionCommand,
  DescribeKeyCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from './index';
import { startSimulator } from './index';
import { SIM_CREDENTIALS } from './test-clients';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const NOW = new Date('2026-11-25T12:00:00Z');
const kid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const PRIMARY = `mrk-${'1'.repeat(32)}`;

let sim: Simulator;
let kms: KMSClient;

beforeAll(async () => {
  sim = await startSimulator({
    now: NOW,
    fixture: {
      accountId: ACCOUNT,
      regions: [{ name: REGION }],
      resources: {
        [REGION]: {
          kms: {
            keys: [
              { id: kid(1), state: 'Disabled', aliases: ['alias/app'], rotations: 2, tags: { team: 'a' } },
              { id: kid(2), manager: 'AWS', aliases: ['alias/aws/s3'] },
              { id: kid(3), keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' },
              { id: PRIMARY, state: 'Disabled', multiRegion: { role: 'PRIMARY', replicaRegions: ['us-west-2'] } },
              ...Array.from({ length: 7 }, (_, i) => ({ id: kid(100 + i) })),
            ],
          },
        },
      },
    },
  });
  kms = new KMSClient({ endpoint: sim.endpoint, region: REGION, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
});
afterAll(async () => {
  kms.destroy();
  await sim.close();
});

describe('KMS listings', () => {
  it('ListKeys pages with Limit and Marker; Truncated false on the last page', async () => {
    const first = await kms.send(new ListKeysCommand({ Limit: 4 }));
    expect(first.Keys).toHaveLength(4);
    expect(first.Truncated).toBe(true);
    const ids = [...(first.Keys ?? [])];
    let marker = first.NextMarker;
    while (marker) {
      const p = await kms.send(new ListKeysCommand({ Limit: 4, Marker: marker }));
      ids.push(...(p.Keys ?? []));
      marker = p.Truncated ? p.NextMarker : undefined;
    }
    expect(ids).toHaveLength(11);
    expect(ids[0]?.KeyArn).toBe(`arn:aws:kms:${REGION}:${ACCOUNT}:key/${ids[0]?.KeyId}`);
    await expect(kms.send(new ListKeysCommand({ Limit: 1001 }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(kms.send(new ListAliasesCommand({ Marker: first.NextMarker }))).rejects.toMatchObject({ name: 'InvalidMarkerException' });
  });

  it('ListAliases names the target keys; DescribeKey answers by id, ARN and alias', async () => {
    const a = await kms.send(new ListAliasesCommand({}));
    expect(a.Aliases?.map((x) => [x.AliasName, x.TargetKeyId])).toEqual([
      ['alias/app', kid(1)],
      ['alias/aws/s3', kid(2)],
    ]);
    const byAlias = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata;
    expect(byAlias).toMatchObject({ KeyId: kid(2), KeyManager: 'AWS', KeyState: 'Enabled', Enabled: true });
    const m = (await kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${kid(1)}` }))).KeyMetadata;
    expect(m).toMatchObject({ KeyId: kid(1), KeyManager: 'CUSTOMER', KeyState: 'Disabled', Enabled: false, MultiRegion: false, KeySpec: 'SYMMETRIC_DEFAULT' });
    expect(m?.CreationDate).toEqual(new Date(NOW.getTime() - 400 * 86_400_000));
    const p = (await kms.send(new DescribeKeyCommand({ KeyId: PRIMARY }))).KeyMetadata;
    expect(p?.MultiRegionConfiguration).toMatchObject({ MultiRegionKeyType: 'PRIMARY', ReplicaKeys: [{ Region: 'us-west-2' }] });
    await expect(kms.send(new DescribeKeyCommand({ KeyId: kid(999) }))).rejects.toMatchObject({ name: 'NotFoundException', $metadata: { httpStatusCode: 400 } });
  });

  it('ListKeyRotations and ListResourceTags; a key that cannot rotate is UnsupportedOperationException', async () => {
    expect((await kms.send(new ListKeyRotationsCommand({ KeyId: kid(1) }))).Rotations).toHaveLength(2);
    await expect(kms.send(new ListKeyRotationsCommand({ KeyId: kid(3) }))).rejects.toMatchObject({ name: 'UnsupportedOperationException' });
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: kid(1) }))).Tags).toEqual([{ TagKey: 'team', TagValue: 'a' }]);
  });

  it('tag:GetResources lists tagged keys as kms:key', async () => {
    const tagging = new ResourceGroupsTaggingAPIClient({ endpoint: sim.endpoint, region: REGION, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
    try {
      const r = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['kms:key'] }));
      expect(r.ResourceTagMappingList?.map((m) => m.ResourceARN)).toEqual([`arn:aws:kms:${REGION}:${ACCOUNT}:key/${kid(1)}`]);
    } finally {
      tagging.destroy();
    }
  });
});

describe('KMS key deletion', () => {
  it('PendingWindowInDays outside 7–30 is a ValidationException; an AWS managed key is denied', async () => {
    await expect(kms.send(new ScheduleKeyDeletionCommand({ KeyId: kid(100), PendingWindowInDays: 6 }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(kms.send(new ScheduleKeyDeletionCommand({ KeyId: kid(100), PendingWindowInDays: 31 }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(kms.send(new ScheduleKeyDeletionCommand({ KeyId: kid(2) }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('schedules (default 30 days), refuses a second schedule, and CancelKeyDeletion brings the key back disabled', async () => {
    const before = Date.now();
    const r = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: kid(101) }));
    expect(r).toMatchObject({ KeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${kid(101)}`, KeyState: 'PendingDeletion', PendingWindowInDays: 30 });
    expect(r.DeletionDate!.getTime() - before).toBeGreaterThanOrEqual(30 * 86_400_000 - 1000);
    expect((await kms.send(new DescribeKeyCommand({ KeyId: kid(101) }))).KeyMetadata).toMatchObject({ KeyState: 'PendingDeletion', DeletionDate: r.DeletionDate });
    await expect(kms.send(new ScheduleKeyDeletionCommand({ KeyId: kid(101) }))).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
    await kms.send(new CancelKeyDeletionCommand({ KeyId: kid(101) }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: kid(101) }))).KeyMetadata).toMatchObject({ KeyState: 'Disabled' });
    await expect(kms.send(new CancelKeyDeletionCommand({ KeyId: kid(101) }))).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
  });

  it('a multi-Region primary with replicas goes to PendingReplicaDeletion with no deletion date', async () => {
    const r = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: PRIMARY, PendingWindowInDays: 7 }));
    expect(r).toMatchObject({ KeyState: 'PendingReplicaDeletion', PendingWindowInDays: 7 });
    expect(r.DeletionDate).toBeUndefined();
    expect((await kms.send(new DescribeKeyCommand({ KeyId: PRIMARY }))).KeyMetadata).toMatchObject({ KeyState: 'PendingReplicaDeletion', PendingDeletionWindowInDays: 7 });
  });

  it('a denied action is AccessDeniedException naming kms:<Action>', async () => {
    sim.state.deny.add('kms:ListKeys');
    try {
      await expect(kms.send(new ListKeysCommand({}))).rejects.toThrow(/kms:ListKeys/);
    } finally {
      sim.state.deny.delete('kms:ListKeys');
    }
  });
});
