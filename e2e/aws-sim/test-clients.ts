/** SDK v3 clients pointed at a simulator, for tests and benchmarks (explicit credentials, 127.0.0.1 only). */
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';

export const SIM_CREDENTIALS = { accessKeyId: 'AKIDSIM', secretAccessKey: 'sim-secret' } as const;

export interface ClientOptions {
  region?: string;
  maxAttempts?: number;
}

function common(endpoint: string, o: ClientOptions) {
  if (!endpoint.startsWith('http://127.0.0.1:')) throw new Error(`refusing a non-local endpoint: ${endpoint}`);
  return { endpoint, credentials: SIM_CREDENTIALS, region: o.region ?? 'us-east-1', maxAttempts: o.maxAttempts ?? 1 };
}

export const ec2Client = (endpoint: string, o: ClientOptions = {}): EC2Client => new EC2Client(common(endpoint, o));
export const ceClient = (endpoint: string, o: ClientOptions = {}): CostExplorerClient => new CostExplorerClient(common(endpoint, o));
export const stsClient = (endpoint: string, o: ClientOptions = {}): STSClient => new STSClient(common(endpoint, o));
export const iamClient = (endpoint: string, o: ClientOptions = {}): IAMClient => new IAMClient(common(endpoint, o));
