/**
 * AWS Query with two services on one signing name, as Elastic Load Balancing's classic API (2012-06-01) and ELBv2
 * (2015-12-01) both sign as `elasticloadbalancing`: `Version` picks the service. Toys, read back with plain fetch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api-error';
import { startSimulator } from '../index';
import type { Simulator } from '../index';
import { simFetch } from '../test-clients';
import { awsQueryService } from './aws-query';
import { el } from './xml';

const V1_XMLNS = 'http://toylb.example/doc/2012-06-01/';
const V2_XMLNS = 'http://toylb.example/doc/2015-12-01/';
const names = new Set(['classic-web']);

const toyLbClassic = awsQueryService({
  name: 'Toy LB (classic)',
  signingName: 'toylb',
  version: '2012-06-01',
  xmlNamespace: V1_XMLNS,
  operations: {
    DescribeLoadBalancers: () => `<LoadBalancerDescriptions>${[...names].map((n) => `<member>${el('LoadBalancerName', n)}</member>`).join('')}</LoadBalancerDescriptions>`,
    // Like ELB's DeleteLoadBalancer: a result element with nothing in it.
    DeleteLoadBalancer: (_ctx, p) => {
      names.delete(p.get('LoadBalancerName') ?? '');
      return '';
    },
  },
});

const toyLbV2 = awsQueryService({
  name: 'Toy LB (v2)',
  signingName: 'toylb',
  version: '2015-12-01',
  xmlNamespace: V2_XMLNS,
  operations: {
    DescribeLoadBalancers: (_ctx, p) => {
      const arn = p.get('LoadBalancerArns.member.1');
      if (arn !== undefined) throw new ApiError('LoadBalancerNotFound', `One or more load balancers not found`);
      return '<LoadBalancers/>';
    },
    // An operation without a result: only ResponseMetadata.
    SetSecurityGroups: () => undefined,
  },
});

let sim: Simulator;
const call = (version: string, action: string, extra = ''): Promise<Response> =>
  simFetch(sim.endpoint, {
    service: 'toylb',
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: `Action=${action}&Version=${version}${extra}`,
  });

beforeAll(async () => {
  sim = await startSimulator({ services: [toyLbClassic, toyLbV2] });
});
afterAll(() => sim.close());

describe('AWS Query protocol (toy services sharing a signing name)', () => {
  it('Version picks the service; results are <XResponse xmlns><XResult>…</XResult><ResponseMetadata>', async () => {
    const v1 = await call('2012-06-01', 'DescribeLoadBalancers');
    expect(v1.status).toBe(200);
    expect(v1.headers.get('content-type')).toBe('text/xml');
    expect(await v1.text()).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeLoadBalancersResponse xmlns="${V1_XMLNS}"><DescribeLoadBalancersResult><LoadBalancerDescriptions><member><LoadBalancerName>classic-web</LoadBalancerName></member></LoadBalancerDescriptions></DescribeLoadBalancersResult><ResponseMetadata><RequestId>${v1.headers.get('x-amzn-requestid')}</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>`,
    );
    const v2 = await call('2015-12-01', 'DescribeLoadBalancers');
    expect(await v2.text()).toContain(`<DescribeLoadBalancersResponse xmlns="${V2_XMLNS}"><DescribeLoadBalancersResult><LoadBalancers/></DescribeLoadBalancersResult>`);

    const noResult = await call('2015-12-01', 'SetSecurityGroups');
    expect(await noResult.text()).toMatch(new RegExp(`<SetSecurityGroupsResponse xmlns="${V2_XMLNS}"><ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata></SetSecurityGroupsResponse>$`));
    expect(sim.counts().byOperation).toMatchObject({ 'toylb:DescribeLoadBalancers': 2, 'toylb:SetSecurityGroups': 1 });
  });

  it('errors as <ErrorResponse xmlns><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/>', async () => {
    const res = await call('2015-12-01', 'DescribeLoadBalancers', '&LoadBalancerArns.member.1=arn%3Aaws%3Aelasticloadbalancing%3A%3Anope');
    expect(res.status).toBe(400);
    expect(await res.text()).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${V2_XMLNS}"><Error><Type>Sender</Type><Code>LoadBalancerNotFound</Code><Message>One or more load balancers not found</Message></Error><RequestId>${res.headers.get('x-amzn-requestid')}</RequestId></ErrorResponse>`,
    );

    // An operation of the other version is unknown in this one.
    const wrongVersion = await call('2015-12-01', 'DeleteLoadBalancer');
    expect(await wrongVersion.text()).toContain('<Code>InvalidAction</Code><Message>Could not find operation DeleteLoadBalancer for version 2015-12-01</Message>');

    sim.state.deny.add('toylb:DeleteLoadBalancer');
    try {
      const denied = await call('2012-06-01', 'DeleteLoadBalancer', '&LoadBalancerName=classic-web');
      expect(denied.status).toBe(403);
      expect(await denied.text()).toContain(`<ErrorResponse xmlns="${V1_XMLNS}"><Error><Type>Sender</Type><Code>AccessDenied</Code>`);
      expect(names.has('classic-web')).toBe(true);
    } finally {
      sim.state.deny.delete('toylb:DeleteLoadBalancer');
    }

    sim.setFaults({ serverErrorRate: 1 });
    try {
      const failed = await call('2012-06-01', 'DescribeLoadBalancers');
      expect(failed.status).toBe(500);
      expect(await failed.text()).toContain('<Type>Receiver</Type><Code>InternalFailure</Code>');
    } finally {
      sim.setFaults({});
    }
  });
});
