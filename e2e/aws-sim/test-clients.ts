/** SDK v3 clients pointed at a simulator, for tests and benchmarks (explicit credentials, 127.0.0.1 only). */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

export const SIM_CREDENTIALS = { accessKeyId: 'AKIDSIM', secretAccessKey: 'sim-secret' } as const;

export interface SimClientCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface ClientOptions {
  region?: string;
  maxAttempts?: number;
  /** Default SIM_CREDENTIALS (the fixture's user of the simulator's own account). */
  credentials?: SimClientCredentials;
}

function common(endpoint: string, o: ClientOptions) {
  if (!endpoint.startsWith('http://127.0.0.1:')) throw new Error(`refusing a non-local endpoint: ${endpoint}`);
  return { endpoint, credentials: o.credentials ?? SIM_CREDENTIALS, region: o.region ?? 'us-east-1', maxAttempts: o.maxAttempts ?? 1 };
}

export const ec2Client = (endpoint: string, o: ClientOptions = {}): EC2Client => new EC2Client(common(endpoint, o));
export const ceClient = (endpoint: string, o: ClientOptions = {}): CostExplorerClient => new CostExplorerClient(common(endpoint, o));
export const stsClient = (endpoint: string, o: ClientOptions = {}): STSClient => new STSClient(common(endpoint, o));
export const iamClient = (endpoint: string, o: ClientOptions = {}): IAMClient => new IAMClient(common(endpoint, o));
export const organizationsClient = (endpoint: string, o: ClientOptions = {}): OrganizationsClient => new OrganizationsClient(common(endpoint, o));
export const cloudWatchClient = (endpoint: string, o: ClientOptions = {}): CloudWatchClient => new CloudWatchClient(common(endpoint, o));

/**
 * Clients of any SDK class pointed at a simulator, each kept until `destroyAll` (a test file's `afterEach`). `endpoint`
 * is read when a client is made: the simulator starts after the file is loaded.
 */
export function clientPool<C extends { destroy(): void }>(
  Client: new (config: ReturnType<typeof common>) => C,
  endpoint: () => string,
  o: ClientOptions = {},
): { client: () => C; destroyAll: () => void } {
  const made: C[] = [];
  return {
    client: () => {
      const c = new Client(common(endpoint(), o));
      made.push(c);
      return c;
    },
    destroyAll: () => {
      for (const c of made.splice(0)) c.destroy();
    },
  };
}

/** The error name and HTTP status a call fails with; throws when it succeeds. */
export async function errorOf(p: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected an error');
}

/** The error a call fails with (name, message, $metadata); throws when it succeeds. */
export async function rejectionOf(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected an error');
}

export interface RawRequest {
  /** The SigV4 signing name put in the credential scope; undefined: an unsigned request. */
  service?: string;
  region?: string;
  method?: string;
  /** Path and query string, `/clusters/web?maxResults=2` (default `/`). */
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A plain `fetch` to the simulator with a SigV4-shaped Authorization header naming the service and region (the
 * simulator reads the credential scope and verifies no signature), for protocols no installed SDK client speaks.
 */
export function simFetch(endpoint: string, r: RawRequest = {}): Promise<Response> {
  if (!endpoint.startsWith('http://127.0.0.1:')) throw new Error(`refusing a non-local endpoint: ${endpoint}`);
  const headers: Record<string, string> = { ...r.headers };
  if (r.service !== undefined) {
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${SIM_CREDENTIALS.accessKeyId}/20261125/${r.region ?? 'us-east-1'}/${r.service}/aws4_request, SignedHeaders=host, Signature=0`;
  }
  return fetch(`${endpoint}${r.path ?? '/'}`, { method: r.method ?? 'GET', headers, ...(r.body === undefined ? {} : { body: r.body }) });
}

/** `arn:aws:iam::<accountId>:role/OrganizationAccountAccessRole` (or another role name). */
export const memberRoleArn = (accountId: string, roleName = 'OrganizationAccountAccessRole'): string => `arn:aws:iam::${accountId}:role/${roleName}`;

/** AssumeRole with the simulator's base credentials (or `o.credentials`), answering the session's credentials. */
export async function assumeRoleCredentials(
  endpoint: string,
  input: { RoleArn: string; RoleSessionName?: string; SerialNumber?: string; TokenCode?: string },
  o: ClientOptions = {},
): Promise<SimClientCredentials> {
  const sts = stsClient(endpoint, o);
  try {
    const out = await sts.send(new AssumeRoleCommand({ RoleSessionName: 'sim-test', ...input }));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('AssumeRole answered no credentials');
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  } finally {
    sts.destroy();
  }
}
