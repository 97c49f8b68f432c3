/**
 * REST-XML, which no built-in service uses yet (S3 will): toy services given to one simulator
 * (`startSimulator({ services })`), answered over HTTP and read back with plain fetch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api-error';
import { startSimulator } from '../index';
import type { Simulator } from '../index';
import { simFetch } from '../test-clients';
import type { RawRequest } from '../test-clients';
import { restXmlService } from './rest-xml';
import { el, esc } from './xml';

const TOY_S3_XMLNS = 'http://toys3.example/doc/2006-03-01/';
const buckets = new Map<string, Map<string, string>>([['photos', new Map()]]);

function bucket(name: string | undefined): Map<string, string> {
  const b = buckets.get(name ?? '');
  if (!b) throw new ApiError('NoSuchBucket', 'The specified bucket does not exist', 404);
  return b;
}

/** An S3-like service: S3's own error shape, greedy keys, query literals that pick the operation. */
const toyS3 = restXmlService({
  name: 'Toy S3',
  signingName: 'toys3',
  version: '2006-03-01',
  xmlNamespace: TOY_S3_XMLNS,
  errorStyle: 's3',
  operations: {
    ListBuckets: { method: 'GET', path: '/', output: 'ListAllMyBucketsResult', handler: () => `<Buckets>${[...buckets.keys()].map((n) => `<Bucket>${el('Name', n)}</Bucket>`).join('')}</Buckets>` },
    ListObjectsV2: {
      method: 'GET',
      path: '/{Bucket}?list-type=2',
      output: 'ListBucketResult',
      handler: (_ctx, { labels, query }) => {
        const prefix = query.get('prefix') ?? '';
        const keys = [...bucket(labels.Bucket).keys()].filter((k) => k.startsWith(prefix)).sort();
        return el('Name', labels.Bucket) + el('KeyCount', keys.length) + keys.map((k) => `<Contents>${el('Key', k)}</Contents>`).join('');
      },
    },
    GetBucketTagging: {
      method: 'GET',
      path: '/{Bucket}?tagging',
      output: 'Tagging',
      handler: (_ctx, { labels }) => {
        bucket(labels.Bucket);
        return '<TagSet/>';
      },
    },
    PutObject: {
      method: 'PUT',
      path: '/{Bucket}/{Key+}',
      handler: (_ctx, { labels, body }) => {
        bucket(labels.Bucket).set(labels.Key ?? '', body);
        return undefined;
      },
    },
    GetObject: {
      method: 'GET',
      path: '/{Bucket}/{Key+}',
      handler: (_ctx, { labels }) => {
        const content = bucket(labels.Bucket).get(labels.Key ?? '');
        if (content === undefined) throw new ApiError('NoSuchKey', 'The specified key does not exist.', 404);
        return content;
      },
    },
    DeleteObject: {
      method: 'DELETE',
      path: '/{Bucket}/{Key+}',
      status: 204,
      handler: (_ctx, { labels }) => {
        bucket(labels.Bucket).delete(labels.Key ?? '');
        return undefined;
      },
    },
  },
});

/** A Route 53-like service: the standard REST-XML error shape (`<ErrorResponse><Error><Type>`). */
const TOY_DNS_XMLNS = 'https://toydns.example/doc/2013-04-01/';
const toyDns = restXmlService({
  name: 'Toy DNS',
  signingName: 'toydns',
  version: '2013-04-01',
  xmlNamespace: TOY_DNS_XMLNS,
  operations: {
    GetHostedZone: {
      method: 'GET',
      path: '/2013-04-01/hostedzone/{Id}',
      output: 'GetHostedZoneResponse',
      handler: (_ctx, { labels }) => {
        if (labels.Id !== 'Z1') throw new ApiError('NoSuchHostedZone', `No hosted zone found with ID: ${esc(labels.Id ?? '')}`, 404);
        return `<HostedZone>${el('Id', '/hostedzone/Z1')}</HostedZone>`;
      },
    },
  },
});

let sim: Simulator;
const s3 = (r: RawRequest): Promise<Response> => simFetch(sim.endpoint, { service: 'toys3', ...r });

beforeAll(async () => {
  sim = await startSimulator({ services: [toyS3, toyDns] });
});
afterAll(() => sim.close());

describe('REST-XML protocol (toy services)', () => {
  it('routes greedy keys and query literals to the most specific template; results in the service namespace', async () => {
    expect((await s3({ method: 'PUT', path: '/photos/2026/cat.jpg', body: 'meow' })).status).toBe(200);
    await s3({ method: 'PUT', path: '/photos/2025/dog.jpg', body: 'woof' });

    const object = await s3({ path: '/photos/2026/cat.jpg' });
    expect(object.status).toBe(200);
    expect(await object.text()).toBe('meow');

    const listed = await s3({ path: '/photos?list-type=2&prefix=2026/' });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('content-type')).toBe('application/xml');
    const xml = await listed.text();
    expect(xml).toContain(`<ListBucketResult xmlns="${TOY_S3_XMLNS}">`);
    expect(xml).toContain('<Name>photos</Name><KeyCount>1</KeyCount><Contents><Key>2026/cat.jpg</Key></Contents>');

    expect(await (await s3({ path: '/photos?tagging' })).text()).toContain(`<Tagging xmlns="${TOY_S3_XMLNS}"><TagSet/></Tagging>`);
    expect(await (await s3({ path: '/' })).text()).toContain('<Buckets><Bucket><Name>photos</Name></Bucket></Buckets>');

    const deleted = await s3({ method: 'DELETE', path: '/photos/2025/dog.jpg' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect(sim.counts().byOperation).toMatchObject({ 'toys3:PutObject': 2, 'toys3:GetObject': 1, 'toys3:ListObjectsV2': 1, 'toys3:GetBucketTagging': 1, 'toys3:DeleteObject': 1 });
  });

  it("answers S3's error shape: <Error><Code/><Message/><RequestId/></Error> with the error status", async () => {
    const res = await s3({ path: '/nobucket?list-type=2' });
    expect(res.status).toBe(404);
    const requestId = res.headers.get('x-amz-request-id');
    expect(await res.text()).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><RequestId>${requestId}</RequestId></Error>`,
    );
    const noKey = await s3({ path: '/photos/none.txt' });
    expect(noKey.status).toBe(404);
    expect(await noKey.text()).toContain('<Code>NoSuchKey</Code>');

    const wrongMethod = await s3({ method: 'POST', path: '/photos' });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.text()).toContain('<Code>MethodNotAllowed</Code>');

    sim.state.deny.add('toys3:GetObject');
    try {
      const denied = await s3({ path: '/photos/2026/cat.jpg' });
      expect(denied.status).toBe(403);
      expect(await denied.text()).toContain('<Code>AccessDenied</Code><Message>Access Denied</Message>');
    } finally {
      sim.state.deny.delete('toys3:GetObject');
    }

    sim.setFaults({ throttleRate: 1 });
    try {
      const slow = await s3({ path: '/' });
      expect(slow.status).toBe(503);
      expect(await slow.text()).toContain('<Code>SlowDown</Code>');
    } finally {
      sim.setFaults({});
    }
  });

  it('answers the standard REST-XML error shape for the other services: <ErrorResponse xmlns><Error><Type>', async () => {
    const ok = await simFetch(sim.endpoint, { service: 'toydns', path: '/2013-04-01/hostedzone/Z1' });
    expect(await ok.text()).toContain(`<GetHostedZoneResponse xmlns="${TOY_DNS_XMLNS}"><HostedZone><Id>/hostedzone/Z1</Id></HostedZone></GetHostedZoneResponse>`);

    const res = await simFetch(sim.endpoint, { service: 'toydns', path: '/2013-04-01/hostedzone/Z9' });
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).toContain(`<ErrorResponse xmlns="${TOY_DNS_XMLNS}"><Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: Z9</Message></Error>`);
    expect(body).toContain(`<RequestId>${res.headers.get('x-amzn-requestid')}</RequestId>`);
  });

  it('only this simulator knows the toy services; the built-ins still answer beside them', async () => {
    const plain = await startSimulator();
    try {
      expect((await simFetch(plain.endpoint, { service: 'toys3', path: '/' })).status).toBe(403);
    } finally {
      await plain.close();
    }
    const ec2 = await simFetch(sim.endpoint, { service: 'ec2', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=DescribeRegions&Version=2016-11-15' });
    expect(ec2.status).toBe(200);
    expect(await ec2.text()).toContain('<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">');
  });
});
