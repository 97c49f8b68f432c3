import { describe, expect, it } from 'vitest';
import { awsQueryService } from '../protocols/aws-query';
import type { SimRequest } from '../protocols/protocol';
import { BUILT_IN_SERVICES, createServiceRegistry } from './index';

const form = (body: string, headers: SimRequest['headers'] = {}): SimRequest => ({ method: 'POST', path: '/', query: new URLSearchParams(), headers, body });
const toy = (name: string, version: string) => awsQueryService({ name, signingName: 'toylb', version, xmlNamespace: `urn:${version}`, operations: {} });

describe('service registry', () => {
  it('declares each built-in service with its signing name, protocol and API version', () => {
    expect(BUILT_IN_SERVICES.map((s) => [s.name, s.signingName, s.protocol, s.version])).toEqual([
      ['EC2', 'ec2', 'ec2Query', '2016-11-15'],
      ['Auto Scaling', 'autoscaling', 'awsQuery', '2011-01-01'],
      ['STS', 'sts', 'awsQuery', '2011-06-15'],
      ['IAM', 'iam', 'awsQuery', '2010-05-08'],
      ['Cost Explorer', 'ce', 'awsJson1_1', '2017-10-25'],
      ['Elastic Load Balancing v2', 'elasticloadbalancing', 'awsQuery', '2015-12-01'],
      ['Elastic Load Balancing', 'elasticloadbalancing', 'awsQuery', '2012-06-01'],
      ['CloudWatch', 'monitoring', 'awsJson1_0', '2010-08-01'],
      ['RDS', 'rds', 'awsQuery', '2014-10-31'],
      ['ElastiCache', 'elasticache', 'awsQuery', '2015-02-02'],
      ['Redshift', 'redshift', 'awsQuery', '2012-12-01'],
      ['OpenSearch', 'es', 'restJson1', '2021-01-01'],
      ['Resource Groups Tagging API', 'tagging', 'awsJson1_1', '2017-01-26'],
      ['CloudWatch Logs', 'logs', 'awsJson1_1', '2014-03-28'],
      ['S3', 's3', 'restXml', '2006-03-01'],
      ['ECR', 'ecr', 'awsJson1_1', '2015-09-21'],
      ['Secrets Manager', 'secretsmanager', 'awsJson1_1', '2017-10-17'],
      ['KMS', 'kms', 'awsJson1_1', '2014-11-01'],
      ['EKS', 'eks', 'restJson1', '2017-11-01'],
      ['SageMaker', 'sagemaker', 'awsJson1_1', '2017-07-24'],
      ['Organizations', 'organizations', 'awsJson1_1', '2016-11-28'],
    ]);
  });

  it('refuses a name twice; the removal only removes its own registration', () => {
    const r = createServiceRegistry();
    const a = toy('Toy LB', '2012-06-01');
    const remove = r.register(a);
    expect(() => r.register(toy('Toy LB', '2015-12-01'))).toThrow(/already registered/);
    remove();
    expect(r.list()).toEqual([]);
    const b = toy('Toy LB', '2015-12-01');
    r.register(b);
    remove();
    expect(r.get('Toy LB')).toBe(b);
  });

  it('attributes by signing name, by Version among services that share one, and unsigned only by X-Amz-Target', () => {
    const r = createServiceRegistry(BUILT_IN_SERVICES);
    const v1 = toy('Toy LB', '2012-06-01');
    const v2 = toy('Toy LB v2', '2015-12-01');
    r.register(v1);
    r.register(v2);
    expect(r.resolve(form('Action=DescribeLoadBalancers&Version=2015-12-01'), 'toylb')).toBe(v2);
    expect(r.resolve(form('Action=DescribeLoadBalancers&Version=2012-06-01'), 'toylb')).toBe(v1);
    expect(r.resolve(form('Action=DescribeLoadBalancers&Version=1999-01-01'), 'toylb')).toBe(v1); // unknown version: the first, which answers InvalidAction
    expect(r.resolve(form('Action=DescribeRegions&Version=2016-11-15'), 'ec2')?.name).toBe('EC2');
    expect(r.resolve(form('Action=DescribeRegions&Version=2016-11-15'), 'nosuch')).toBeUndefined();
    expect(r.resolve(form('Action=DescribeRegions&Version=2016-11-15'), undefined)).toBeUndefined();
    expect(r.resolve(form('{}', { 'x-amz-target': 'AWSInsightsIndexService.GetCostAndUsage', 'content-type': 'application/x-amz-json-1.1' }), undefined)?.name).toBe('Cost Explorer');
    expect(r.resolve(form('{}', { 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData', 'content-type': 'application/x-amz-json-1.0' }), 'monitoring')?.name).toBe('CloudWatch');
  });
});
