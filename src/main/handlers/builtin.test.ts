import { describe, expect, it } from 'vitest';
import { registerBuiltinHandlers } from './builtin';
import { RESOURCE_TYPES } from './handler';
import { createHandlerRegistry } from './registry';

describe('registerBuiltinHandlers', () => {
  it('registers one handler per resource type, listed in cleanup order', () => {
    const registry = createHandlerRegistry();
    registerBuiltinHandlers(registry);
    expect(RESOURCE_TYPES.every((t) => registry.has(t))).toBe(true);
    expect(registry.list().map((h) => h.type)).toEqual([
      'ec2:instance',
      'ec2:image',
      'ec2:snapshot',
      'elb:load-balancer',
      'ec2:nat-gateway',
      'ec2:volume',
      'ec2:vpc-endpoint',
      'ec2:elastic-ip',
      'rds:db-instance',
      'rds:db-cluster',
      'elasticache:cluster',
      'redshift:cluster',
      'opensearch:domain',
      'rds:snapshot',
      'logs:log-group',
      'logs:dead-log-group',
      's3:incomplete-uploads',
      'ecr:image',
      'secretsmanager:secret',
      'eks:cluster',
      'sagemaker:endpoint',
      'sagemaker:notebook-instance',
      'kms:key',
    ]);
    expect(registry.get('ec2:elastic-ip')).toMatchObject({
      label: 'Idle Elastic IPs',
      category: 'Networking',
      serviceCodes: ['AmazonVPC', 'AmazonEC2Other'],
    });
    expect(registry.get('ec2:instance')).toMatchObject({
      label: 'Stopped instances',
      category: 'Compute',
      serviceCodes: ['AmazonEC2', 'AmazonEC2Other'],
    });
  });

  it('all or nothing: a taken type throws and leaves the registry as it was', async () => {
    const registry = createHandlerRegistry();
    const { idleElasticIpsHandler } = await import('./ec2-elastic-ips-idle');
    registry.register(idleElasticIpsHandler); // registered last by the builtins
    expect(() => registerBuiltinHandlers(registry)).toThrow(/ec2:elastic-ip/);
    expect(registry.list().map((h) => h.type)).toEqual(['ec2:elastic-ip']);
  });

  it('twice on one registry throws; the returned function unregisters them all', () => {
    const registry = createHandlerRegistry();
    const unregister = registerBuiltinHandlers(registry);
    expect(() => registerBuiltinHandlers(registry)).toThrow(/already registered/);
    unregister();
    expect(registry.list()).toEqual([]);
  });
});
