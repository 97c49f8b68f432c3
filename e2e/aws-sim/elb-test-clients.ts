/** SDK v3 Elastic Load Balancing clients (v2 and Classic) pointed at a simulator, as test-clients.ts builds the others. */
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ClientOptions } from './test-clients';
import { SIM_CREDENTIALS } from './test-clients';

function common(endpoint: string, o: ClientOptions) {
  if (!endpoint.startsWith('http://127.0.0.1:')) throw new Error(`refusing a non-local endpoint: ${endpoint}`);
  return { endpoint, credentials: SIM_CREDENTIALS, region: o.region ?? 'us-east-1', maxAttempts: o.maxAttempts ?? 1 };
}

/** ELBv2 (application / network / gateway load balancers, target groups; API 2015-12-01). */
export const elbv2Client = (endpoint: string, o: ClientOptions = {}): ElasticLoadBalancingV2Client =>
  new ElasticLoadBalancingV2Client(common(endpoint, o));

/** Classic ELB (API 2012-06-01). */
export const elbClassicClient = (endpoint: string, o: ClientOptions = {}): ElasticLoadBalancingClient =>
  new ElasticLoadBalancingClient(common(endpoint, o));
