import { describe, expect, it } from 'vitest';
import { compileRoute, findRoute, sortRoutes } from './rest-routing';

/** S3-like: a greedy key, query literals. */
const s3 = sortRoutes([
  compileRoute('GetObject', 'GET', '/{Bucket}/{Key+}', 1),
  compileRoute('ListObjects', 'GET', '/{Bucket}', 2),
  compileRoute('ListObjectsV2', 'GET', '/{Bucket}?list-type=2', 3),
  compileRoute('GetBucketTagging', 'GET', '/{Bucket}?tagging', 4),
  compileRoute('ListBuckets', 'GET', '/', 5),
]);
/** EKS-like: nested resources. */
const eks = sortRoutes([
  compileRoute('DescribeCluster', 'GET', '/clusters/{name}', 6),
  compileRoute('ListNodegroups', 'GET', '/clusters/{name}/node-groups', 7),
  compileRoute('DescribeNodegroup', 'GET', '/clusters/{name}/node-groups/{nodegroupName}', 8),
]);

const routeIn =
  (routes: typeof s3) =>
  (method: string, url: string): { name: string; labels: Record<string, string> } | undefined => {
    const u = new URL(url, 'http://x');
    const found = findRoute(routes, { method, path: u.pathname, query: u.searchParams });
    return found && { name: found.route.name, labels: found.labels };
  };
const route = (method: string, url: string): ReturnType<ReturnType<typeof routeIn>> => routeIn(s3)(method, url) ?? routeIn(eks)(method, url);
const eksRoute = routeIn(eks);

describe('REST routing (method + path template)', () => {
  it('prefers query literals, then literal segments, and decodes labels (greedy ones keep their slashes)', () => {
    expect(route('GET', '/')).toEqual({ name: 'ListBuckets', labels: {} });
    expect(route('GET', '/photos')).toEqual({ name: 'ListObjects', labels: { Bucket: 'photos' } });
    expect(route('GET', '/photos?list-type=2&prefix=a')).toEqual({ name: 'ListObjectsV2', labels: { Bucket: 'photos' } });
    expect(route('GET', '/photos?list-type=1')).toEqual({ name: 'ListObjects', labels: { Bucket: 'photos' } });
    expect(route('GET', '/photos?tagging')).toEqual({ name: 'GetBucketTagging', labels: { Bucket: 'photos' } });
    expect(route('GET', '/photos/2026/a%20b.jpg')).toEqual({ name: 'GetObject', labels: { Bucket: 'photos', Key: '2026/a b.jpg' } });
    expect(eksRoute('GET', '/clusters/web/node-groups')).toEqual({ name: 'ListNodegroups', labels: { name: 'web' } });
    expect(eksRoute('GET', '/clusters/web/node-groups/ng%2F1')).toEqual({ name: 'DescribeNodegroup', labels: { name: 'web', nodegroupName: 'ng/1' } });
    expect(eksRoute('GET', '/clusters/web')).toEqual({ name: 'DescribeCluster', labels: { name: 'web' } });
  });

  it('matches nothing for another method, an empty label or extra segments', () => {
    expect(route('PUT', '/photos')).toBeUndefined();
    expect(eksRoute('GET', '/clusters//node-groups')).toBeUndefined();
    expect(eksRoute('GET', '/clusters/web/node-groups/ng-1/nodes')).toBeUndefined();
    expect(eksRoute('GET', '/clusters')).toBeUndefined();
  });

  it('rejects a greedy label that is not last', () => {
    expect(() => compileRoute('Bad', 'GET', '/{Key+}/tail', 0)).toThrow(/greedy label must be the last segment/);
  });
});
