/**
 * The simulator's S3 (REST-XML, path-style) against the real `@aws-sdk/client-s3` with `forcePathStyle` on the
 * simulator's endpoint: ListBuckets (global, `BucketRegion` filter, paging), ListMultipartUploads and ListParts
 * (paging), AbortMultipartUpload, Get/PutBucketLifecycleConfiguration (the body the SDK sends, its checksum header,
 * S3's validation), GetBucketTagging, and S3's errors (NoSuchBucket, NoSuchUpload, NoSuchLifecycleConfiguration,
 * NoSuchTagSet, a request signed for the wrong region, AccessDenied naming the IAM action).
 */
import {
  AbortMultipartUploadCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketTaggingCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFixture, Simulator } from './index';
import { startSimulator } from './index';
import { SIM_CREDENTIALS, simFetch } from './test-clients';

const ACCOUNT = '111122223333';
const NOW = new Date('2026-11-25T12:00:00Z');
const RULES =
  '<Rule><ID>logs-to-ia</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>' +
  '<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Expiration><Days>365</Days></Expiration></Rule>';

const FIXTURE: AccountFixture = {
  accountId: ACCOUNT,
  regions: [{ name: 'us-east-1' }, { name: 'eu-west-1' }],
  resources: {
    'us-east-1': {
      s3: {
        buckets: [
          {
            name: 'media',
            tags: { team: 'web' },
            lifecycleRules: RULES,
            uploads: [
              { key: 'b/video.mp4', initiatedDaysAgo: 20, partSizes: [5_242_880, 5_242_880, 1_000], uploadId: 'up-b1' },
              { key: 'a/x.bin', initiatedDaysAgo: 10, uploadId: 'up-a1' },
              { key: 'b/video.mp4', initiatedDaysAgo: 2, storageClass: 'STANDARD_IA', uploadId: 'up-b2' },
            ],
          },
          { name: 'empty' },
        ],
      },
    },
    'eu-west-1': { s3: { buckets: [{ name: 'euro' }, { name: 'alpha-eu' }] } },
  },
};

let sim: Simulator;
const clients: S3Client[] = [];
const s3 = (region = 'us-east-1'): S3Client => {
  const c = new S3Client({ region, endpoint: sim.endpoint, forcePathStyle: true, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  sim = await startSimulator({ fixture: FIXTURE, now: NOW });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

describe('ListBuckets', () => {
  it('lists every bucket of the account by name with its region; bucket-region filters; max-buckets pages', async () => {
    const all = await s3().send(new ListBucketsCommand({}));
    expect(all.Buckets?.map((b) => [b.Name, b.BucketRegion])).toEqual([
      ['alpha-eu', 'eu-west-1'],
      ['empty', 'us-east-1'],
      ['euro', 'eu-west-1'],
      ['media', 'us-east-1'],
    ]);
    expect(all.ContinuationToken).toBeUndefined();
    expect(all.Buckets?.[0]?.CreationDate).toBeInstanceOf(Date);
    expect(all.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    const eu = await s3('eu-west-1').send(new ListBucketsCommand({ BucketRegion: 'eu-west-1', MaxBuckets: 1 }));
    expect(eu.Buckets?.map((b) => b.Name)).toEqual(['alpha-eu']);
    expect(eu.ContinuationToken).toBeTruthy();
    const next = await s3('eu-west-1').send(new ListBucketsCommand({ BucketRegion: 'eu-west-1', MaxBuckets: 1, ContinuationToken: eu.ContinuationToken }));
    expect(next.Buckets?.map((b) => b.Name)).toEqual(['euro']);
    expect(next.ContinuationToken).toBeUndefined();
  });

  it('a denied s3:ListAllMyBuckets answers AccessDenied naming the IAM action, not the operation', async () => {
    sim.state.deny.add('s3:ListAllMyBuckets');
    try {
      await expect(s3().send(new ListBucketsCommand({}))).rejects.toMatchObject({ name: 'AccessDenied', message: expect.stringContaining('s3:ListAllMyBuckets') });
    } finally {
      sim.state.deny.delete('s3:ListAllMyBuckets');
    }
    // The operation name is not an IAM action: denying it changes nothing.
    sim.state.deny.add('s3:ListBuckets');
    try {
      await expect(s3().send(new ListBucketsCommand({}))).resolves.toBeDefined();
    } finally {
      sim.state.deny.delete('s3:ListBuckets');
    }
  });
});

describe('multipart uploads', () => {
  it('lists uploads by key then initiation, paged with NextKeyMarker / NextUploadIdMarker', async () => {
    const first = await s3().send(new ListMultipartUploadsCommand({ Bucket: 'media', MaxUploads: 2 }));
    expect(first.Uploads?.map((u) => [u.Key, u.UploadId, u.StorageClass])).toEqual([
      ['a/x.bin', 'up-a1', 'STANDARD'],
      ['b/video.mp4', 'up-b1', 'STANDARD'],
    ]);
    expect(first).toMatchObject({ IsTruncated: true, NextKeyMarker: 'b/video.mp4', NextUploadIdMarker: 'up-b1', MaxUploads: 2 });
    expect(first.Uploads?.[1]?.Initiated?.toISOString()).toBe('2026-11-05T12:00:00.000Z');
    expect(first.Uploads?.[0]?.Initiator?.ID).toContain(ACCOUNT);
    const rest = await s3().send(new ListMultipartUploadsCommand({ Bucket: 'media', MaxUploads: 2, KeyMarker: first.NextKeyMarker, UploadIdMarker: first.NextUploadIdMarker }));
    expect(rest.Uploads?.map((u) => u.UploadId)).toEqual(['up-b2']);
    expect(rest.IsTruncated).toBe(false);
    const none = await s3().send(new ListMultipartUploadsCommand({ Bucket: 'empty' }));
    expect(none.Uploads).toBeUndefined();
    expect(none.IsTruncated).toBe(false);
  });

  it('lists parts with their sizes, paged by part number', async () => {
    const p1 = await s3().send(new ListPartsCommand({ Bucket: 'media', Key: 'b/video.mp4', UploadId: 'up-b1', MaxParts: 2 }));
    expect(p1.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 5_242_880],
      [2, 5_242_880],
    ]);
    expect(p1).toMatchObject({ IsTruncated: true, NextPartNumberMarker: '2', StorageClass: 'STANDARD' });
    const p2 = await s3().send(new ListPartsCommand({ Bucket: 'media', Key: 'b/video.mp4', UploadId: 'up-b1', PartNumberMarker: p1.NextPartNumberMarker }));
    expect(p2.Parts?.map((p) => p.Size)).toEqual([1_000]);
    expect(p2.IsTruncated).toBe(false);
    await expect(s3().send(new ListPartsCommand({ Bucket: 'media', Key: 'a/x.bin', UploadId: 'up-b1' }))).rejects.toMatchObject({ name: 'NoSuchUpload' });
  });

  it('aborts an upload (204); aborting it again is NoSuchUpload 404', async () => {
    const out = await s3().send(new AbortMultipartUploadCommand({ Bucket: 'media', Key: 'a/x.bin', UploadId: 'up-a1' }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    expect(sim.state.region('us-east-1').s3.buckets.get('media')?.uploads.has('up-a1')).toBe(false);
    await expect(s3().send(new AbortMultipartUploadCommand({ Bucket: 'media', Key: 'a/x.bin', UploadId: 'up-a1' }))).rejects.toMatchObject({
      name: 'NoSuchUpload',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('a bucket that does not exist is NoSuchBucket; one of another region answers the wrong-region error', async () => {
    await expect(s3().send(new ListMultipartUploadsCommand({ Bucket: 'nope' }))).rejects.toMatchObject({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
    await expect(s3('us-east-1').send(new ListMultipartUploadsCommand({ Bucket: 'euro' }))).rejects.toMatchObject({
      name: 'AuthorizationHeaderMalformed',
      message: expect.stringContaining("expecting 'eu-west-1'"),
    });
  });
});

describe('lifecycle configuration', () => {
  it('answers the stored rules; none is NoSuchLifecycleConfiguration 404', async () => {
    const got = await s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'media' }));
    expect(got.Rules).toEqual([
      { ID: 'logs-to-ia', Filter: { Prefix: 'logs/' }, Status: 'Enabled', Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }], Expiration: { Days: 365 } },
    ]);
    await expect(s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'empty' }))).rejects.toMatchObject({
      name: 'NoSuchLifecycleConfiguration',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('a put replaces the whole configuration with what the SDK sent (checksum header included), and reads back the same', async () => {
    const rules = [
      { ID: 'abort', Filter: { Prefix: '' }, Status: 'Enabled' as const, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
      { ID: 'tmp', Filter: { And: { Prefix: 'tmp/', Tags: [{ Key: 'k', Value: 'v' }], ObjectSizeGreaterThan: 10 } }, Status: 'Disabled' as const, Expiration: { Days: 1 } },
      { ID: 'whole', Filter: {}, Status: 'Enabled' as const, NoncurrentVersionExpiration: { NoncurrentDays: 30, NewerNoncurrentVersions: 2 } },
    ];
    await s3().send(new PutBucketLifecycleConfigurationCommand({ Bucket: 'empty', LifecycleConfiguration: { Rules: rules } }));
    const got = await s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'empty' }));
    expect(got.Rules).toEqual(rules);
  });

  it("validates as S3 does: a tag filter with AbortIncompleteMultipartUpload, duplicate IDs, no action, no checksum", async () => {
    const put = (Rules: unknown[]) => s3().send(new PutBucketLifecycleConfigurationCommand({ Bucket: 'empty', LifecycleConfiguration: { Rules: Rules as never } }));
    await expect(put([{ ID: 'x', Filter: { Tag: { Key: 'a', Value: 'b' } }, Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }])).rejects.toMatchObject({
      name: 'InvalidRequest',
    });
    await expect(put([{ ID: 'x', Filter: {}, Status: 'Enabled', Expiration: { Days: 1 } }, { ID: 'x', Filter: {}, Status: 'Enabled', Expiration: { Days: 2 } }])).rejects.toMatchObject({
      name: 'InvalidArgument',
    });
    await expect(put([{ ID: 'x', Filter: {}, Status: 'Enabled' }])).rejects.toMatchObject({ name: 'InvalidRequest' });
    await expect(put([{ ID: 'x', Filter: {}, Status: 'On', Expiration: { Days: 1 } }])).rejects.toMatchObject({ name: 'MalformedXML' });
    const body = '<LifecycleConfiguration><Rule><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>';
    const raw = await simFetch(sim.endpoint, { service: 's3', method: 'PUT', path: '/empty/?lifecycle', body });
    expect(raw.status).toBe(400);
    expect(await raw.text()).toContain('<Code>InvalidRequest</Code><Message>Missing required header for this request: Content-MD5 OR x-amz-checksum-*</Message>');
    const bad = await simFetch(sim.endpoint, { service: 's3', method: 'PUT', path: '/empty/?lifecycle', body, headers: { 'x-amz-checksum-crc32': 'AAAAAA==' } });
    expect(await bad.text()).toContain('<Code>BadDigest</Code>');
    const junk = await simFetch(sim.endpoint, { service: 's3', method: 'PUT', path: '/empty/?lifecycle', body: '<LifecycleConfiguration><Rule>', headers: { 'content-md5': 'x' } });
    expect(await junk.text()).toContain('<Code>BadDigest</Code>');
  });
});

describe('bucket tagging', () => {
  it('answers the tag set; a bucket without tags is NoSuchTagSet 404', async () => {
    const t = await s3().send(new GetBucketTaggingCommand({ Bucket: 'media' }));
    expect(t.TagSet).toEqual([{ Key: 'team', Value: 'web' }]);
    await expect(s3().send(new GetBucketTaggingCommand({ Bucket: 'empty' }))).rejects.toMatchObject({ name: 'NoSuchTagSet', $metadata: { httpStatusCode: 404 } });
  });
});
