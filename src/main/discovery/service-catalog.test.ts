import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../app/account-session';
import { coverageOf } from '../handlers/registry';
import { CATALOG, SERVICE_CATEGORIES, derivedServiceCode, lookupService } from './service-catalog';

describe('service catalog', () => {
  it('maps the Cost Explorer names the app depends on to price-list codes', () => {
    const expected: [string, string, string][] = [
      ['Amazon Elastic Compute Cloud - Compute', 'AmazonEC2', 'Compute'],
      ['EC2 - Other', 'AmazonEC2Other', 'Compute'],
      ['Amazon Virtual Private Cloud', 'AmazonVPC', 'Networking'],
      ['Amazon Elastic Load Balancing', 'AWSELB', 'Networking'],
      ['Amazon Simple Storage Service', 'AmazonS3', 'Storage'],
      ['Amazon Relational Database Service', 'AmazonRDS', 'Database'],
      ['AWS Lambda', 'AWSLambda', 'Compute'],
      ['Amazon DynamoDB', 'AmazonDynamoDB', 'Database'],
      ['Amazon ElastiCache', 'AmazonElastiCache', 'Database'],
      ['Amazon CloudFront', 'AmazonCloudFront', 'Networking'],
      ['AmazonCloudWatch', 'AmazonCloudWatch', 'Management'],
      ['AWS Cost Explorer', 'AWSCostExplorer', 'Billing'],
      ['Tax', 'Tax', 'Billing'],
    ];
    for (const [name, code, category] of expected) {
      expect(lookupService(name)).toEqual({ code, displayName: name, category, known: true });
    }
  });

  it('holds at least 40 services with unique codes, names and valid categories', () => {
    expect(CATALOG.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CATALOG.map((e) => e.code)).size).toBe(CATALOG.length);
    const names = CATALOG.flatMap((e) => [e.displayName, ...(e.aliases ?? [])].map((n) => n.toLowerCase()));
    expect(new Set(names).size).toBe(names.length);
    for (const e of CATALOG) expect(SERVICE_CATEGORIES).toContain(e.category);
  });

  it('matches aliases and tolerates case and doubled spaces, keeping the name CE sent', () => {
    expect(lookupService('Amazon CloudWatch').code).toBe('AmazonCloudWatch');
    expect(lookupService('amazon  simple storage service ')).toMatchObject({ code: 'AmazonS3', displayName: 'amazon  simple storage service ' });
  });

  it('derives a stable code for unknown names and files them under Other', () => {
    const a = lookupService('Amazon Quantum Widget Service (Preview)');
    expect(a).toEqual({ code: 'ce:amazon-quantum-widget-service-preview', displayName: 'Amazon Quantum Widget Service (Preview)', category: 'Other', known: false });
    expect(lookupService('Amazon Quantum Widget Service (Preview)').code).toBe(a.code);
    expect(derivedServiceCode('  ')).toBe('ce:unnamed');
  });

  it('says which kinds cover EC2 - Other and the VPC line (from what each kind declares)', () => {
    const handlersForService = coverageOf(builtinRegistry());
    expect(handlersForService('AmazonEC2Other').sort()).toEqual(['ec2:elastic-ip', 'ec2:image', 'ec2:instance', 'ec2:nat-gateway', 'ec2:snapshot', 'ec2:volume']);
    expect(handlersForService(lookupService('Amazon Virtual Private Cloud').code)).toEqual(['ec2:vpc-endpoint', 'ec2:elastic-ip']);
    expect(handlersForService(lookupService('Amazon Elastic Load Balancing').code)).toEqual(['elb:load-balancer']);
    expect(handlersForService('AmazonEC2')).toEqual(['ec2:instance']);
    expect(handlersForService('AmazonS3')).toEqual(['s3:incomplete-uploads']);
    expect(handlersForService(lookupService('AmazonCloudWatch').code)).toEqual(['logs:log-group', 'logs:dead-log-group']);
    expect(handlersForService(lookupService('Amazon Elastic Container Service for Kubernetes').code)).toEqual(['eks:cluster']);
    expect(handlersForService(lookupService('AWS Key Management Service').code)).toEqual(['kms:key']);
    expect(handlersForService(lookupService('Amazon SageMaker').code)).toEqual(['sagemaker:endpoint', 'sagemaker:notebook-instance']);
    expect(handlersForService('ce:something')).toEqual([]);
  });

  it('every kind covers at least one catalog code', () => {
    const codes = new Set(CATALOG.map((e) => e.code));
    for (const h of builtinRegistry().list()) {
      expect(h.serviceCodes.length, h.type).toBeGreaterThan(0);
      for (const c of h.serviceCodes) expect(codes.has(c), `${h.type}: ${c}`).toBe(true);
    }
  });
});
