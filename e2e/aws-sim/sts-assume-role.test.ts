import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AWS_ENV_CLEARED, setEnv } from '../../src/main/aws/__fixtures__/test-env';
import { createClientFactory } from '../../src/main/aws/clients';
import type { ClientFactory } from '../../src/main/aws/clients';
import { clearCredentialCache } from '../../src/main/aws/credentials';
import { getIdentity } from '../../src/main/aws/identity';
import { loadSampleAccount, startSimulator } from './index';
import type { AccountFixture, Simulator } from './index';
import { stsClient } from './test-clients';

const ACCOUNT = '123456789012';
const MFA_ROLE = `arn:aws:iam::${ACCOUNT}:role/cleanup`; // sample account: requireMfa
const PLAIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/CloudCleanerReadOnly`;
const SERIAL = `arn:aws:iam::${ACCOUNT}:mfa/alice`;

let sim: Simulator;
let sample: AccountFixture;
let sts: STSClient;
beforeAll(async () => {
  sample = await loadSampleAccount();
  sim = await startSimulator({ fixture: sample });
  sts = stsClient(sim.endpoint);
});
afterAll(async () => {
  sts.destroy();
  await sim.close();
});
beforeEach(() => {
  sim.state.mfaCode = '123456';
});

const assume = (input: Partial<AssumeRoleCommandInput>, client: STSClient = sts) =>
  client.send(new AssumeRoleCommand(input as AssumeRoleCommandInput));

describe('STS AssumeRole (real SDK client)', () => {
  it('the right MFA code: temporary credentials (ASIA…, wall-clock expiry) and the assumed-role user; the request is recorded', async () => {
    const before = Date.now();
    const out = await assume({ RoleArn: MFA_ROLE, RoleSessionName: 'alice-session', SerialNumber: SERIAL, TokenCode: '123456' });
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[0-9A-Z]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toBeTruthy();
    expect(out.Credentials?.SessionToken).toBeTruthy();
    const expiresIn = (out.Credentials?.Expiration?.getTime() ?? 0) - before;
    expect(expiresIn).toBeGreaterThan(3590_000);
    expect(expiresIn).toBeLessThanOrEqual(3601_000);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/cleanup/alice-session`);
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[0-9A-Z]{17}:alice-session$/);
    expect(out.$metadata.requestId).toBeTruthy();
    expect(sim.state.lastAssumeRole).toMatchObject({
      roleArn: MFA_ROLE,
      roleSessionName: 'alice-session',
      serialNumber: SERIAL,
      tokenCode: '123456',
      callerArn: sample.arn,
      outcome: 'ok',
      accessKeyId: out.Credentials?.AccessKeyId,
    });
  });

  it('GetCallerIdentity signed with the assumed keys is the assumed role; the base keys stay the user', async () => {
    const out = await assume({ RoleArn: PLAIN_ROLE, RoleSessionName: 'ro', DurationSeconds: 900 });
    const c = out.Credentials!;
    const assumed = new STSClient({
      endpoint: sim.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
    });
    expect(await assumed.send(new GetCallerIdentityCommand({}))).toMatchObject({
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/CloudCleanerReadOnly/ro`,
      UserId: out.AssumedRoleUser?.AssumedRoleId,
      Account: ACCOUNT,
    });
    // Role chaining: the caller of the second AssumeRole is the assumed role.
    await assume({ RoleArn: PLAIN_ROLE, RoleSessionName: 'chained' }, assumed);
    expect(sim.state.lastAssumeRole?.callerArn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/CloudCleanerReadOnly/ro`);
    assumed.destroy();
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(sample.arn);
  });

  it('a wrong or missing code with a SerialNumber is AccessDenied (403); so is an MFA role without one', async () => {
    await expect(assume({ RoleArn: MFA_ROLE, RoleSessionName: 's1', SerialNumber: SERIAL, TokenCode: '000000' })).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'MultiFactorAuthentication failed with invalid MFA one time pass code.',
      $metadata: { httpStatusCode: 403 },
    });
    expect(sim.state.lastAssumeRole).toMatchObject({ serialNumber: SERIAL, tokenCode: '000000', outcome: 'AccessDenied' });
    expect(sim.state.lastAssumeRole?.accessKeyId).toBeUndefined();

    await expect(assume({ RoleArn: MFA_ROLE, RoleSessionName: 's2', SerialNumber: SERIAL })).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'MultiFactorAuthentication failed with invalid MFA one time pass code.',
    });
    await expect(assume({ RoleArn: PLAIN_ROLE, RoleSessionName: 's3', SerialNumber: SERIAL, TokenCode: '111111' })).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(assume({ RoleArn: MFA_ROLE, RoleSessionName: 's4' })).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: ${sample.arn} is not authorized to perform: sts:AssumeRole on resource: ${MFA_ROLE}`,
      $metadata: { httpStatusCode: 403 },
    });
    // A role the account does not have.
    await expect(assume({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/nope`, RoleSessionName: 's5' })).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/nope') as unknown,
    });
  });

  it('the accepted code is configurable at runtime (sim.state.mfaCode)', async () => {
    sim.state.mfaCode = '654321';
    await expect(assume({ RoleArn: MFA_ROLE, RoleSessionName: 'x1', SerialNumber: SERIAL, TokenCode: '123456' })).rejects.toMatchObject({ name: 'AccessDenied' });
    const out = await assume({ RoleArn: MFA_ROLE, RoleSessionName: 'x2', SerialNumber: SERIAL, TokenCode: '654321' });
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/cleanup/x2`);
  });

  it('ValidationError: RoleArn / RoleSessionName missing, a malformed TokenCode or ARN, DurationSeconds out of range', async () => {
    await expect(assume({ RoleSessionName: 'v1' })).rejects.toMatchObject({
      name: 'ValidationError',
      message: "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
      $metadata: { httpStatusCode: 400 },
    });
    expect(sim.state.lastAssumeRole).toMatchObject({ roleArn: undefined, outcome: 'ValidationError' });
    await expect(assume({})).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringMatching(/^2 validation errors detected: .*roleArn.*; .*roleSessionName/) as unknown });
    await expect(assume({ RoleArn: PLAIN_ROLE })).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining("'roleSessionName'") as unknown });
    await expect(assume({ RoleArn: MFA_ROLE, RoleSessionName: 'v2', SerialNumber: SERIAL, TokenCode: '12ab56' })).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining("Value '12ab56' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*") as unknown,
    });
    await expect(assume({ RoleArn: 'arn:aws:iam::123456789012:user/not-a-role', RoleSessionName: 'v3' })).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Request ARN is invalid',
    });
    await expect(assume({ RoleArn: PLAIN_ROLE, RoleSessionName: 'v4', DurationSeconds: 60 })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(assume({ RoleArn: PLAIN_ROLE, RoleSessionName: 'v5', DurationSeconds: 7200 })).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
  });

  it('a fixture without roles: any role ARN is assumable, MFA only checked when a SerialNumber is sent; sts:AssumeRole can be denied', async () => {
    const { roles: _roles, ...noRoles } = sample;
    const other = await startSimulator({ fixture: { ...noRoles, mfaCode: '246810' } });
    const client = stsClient(other.endpoint);
    const role = 'arn:aws:iam::210987654321:role/path/Anything';
    const out = await assume({ RoleArn: role, RoleSessionName: 'free' }, client);
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::210987654321:assumed-role/Anything/free');
    await expect(assume({ RoleArn: role, RoleSessionName: 'mfa', SerialNumber: SERIAL, TokenCode: '123456' }, client)).rejects.toMatchObject({ name: 'AccessDenied' });
    await assume({ RoleArn: role, RoleSessionName: 'mfa', SerialNumber: SERIAL, TokenCode: '246810' }, client);
    other.state.deny.add('sts:AssumeRole');
    await expect(assume({ RoleArn: role, RoleSessionName: 'denied' }, client)).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('is not authorized to perform: sts:AssumeRole') as unknown,
    });
    expect(other.counts().byOperation['sts:AssumeRole']).toBe(4);
    client.destroy();
    await other.close();
  });
});

describe("the app's credential path: an assume-role profile with mfa_serial", () => {
  let dir: string;
  let restoreEnv: () => void;
  const factories: ClientFactory[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cc-sim-assume-role-'));
    restoreEnv = setEnv({
      ...AWS_ENV_CLEARED,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    });
    await writeFile(join(dir, 'credentials'), '');
    await writeFile(
      join(dir, 'config'),
      [
        '[profile base]',
        'aws_access_key_id = AKIDSIMBASE',
        'aws_secret_access_key = sim-base-secret',
        'region = us-east-1',
        `endpoint_url = ${sim.endpoint}`,
        '',
        '[profile mfa-role]',
        `role_arn = ${MFA_ROLE}`,
        'source_profile = base',
        `mfa_serial = ${SERIAL}`,
        'region = us-east-1',
        `endpoint_url = ${sim.endpoint}`,
        '',
      ].join('\n'),
    );
    clearCredentialCache();
  });
  afterEach(async () => {
    for (const f of factories.splice(0)) f.destroy();
    clearCredentialCache();
    restoreEnv();
    await rm(dir, { recursive: true, force: true });
  });

  it('createClientFactory + getIdentity: the prompt gets the serial, the code reaches AssumeRole, the identity is the assumed role', async () => {
    const prompts: { profile: string; mfaSerial: string }[] = [];
    const clients = await createClientFactory({
      profile: 'mfa-role',
      mfaPrompt: async (req) => {
        prompts.push(req);
        return sim.state.mfaCode;
      },
    });
    factories.push(clients);
    const before = sim.state.assumeRoleRequests.length;
    const identity = await getIdentity(clients, 'mfa-role');
    expect(identity).toMatchObject({ profile: 'mfa-role', accountId: ACCOUNT, partition: 'aws', accountAlias: 'acme-sandbox' });
    expect(identity.arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/cleanup\/[\w+=,.@-]+$/);
    expect(identity.userId).toMatch(/^AROA[0-9A-Z]{17}:/);
    expect(prompts).toEqual([{ profile: 'mfa-role', mfaSerial: SERIAL }]);
    expect(sim.state.assumeRoleRequests.length).toBe(before + 1);
    expect(sim.state.lastAssumeRole).toMatchObject({ roleArn: MFA_ROLE, serialNumber: SERIAL, tokenCode: '123456', callerArn: sample.arn, outcome: 'ok' });

    // The credentials are memoized for the profile: a second identity call neither prompts nor assumes again.
    await getIdentity(clients, 'mfa-role');
    expect(prompts).toHaveLength(1);
    expect(sim.state.assumeRoleRequests.length).toBe(before + 1);
  });

  it('a wrong code fails the selection as an MFA error (STS AccessDenied: MultiFactorAuthentication failed)', async () => {
    const clients = await createClientFactory({ profile: 'mfa-role', mfaPrompt: async () => '999999' });
    factories.push(clients);
    await expect(getIdentity(clients, 'mfa-role')).rejects.toMatchObject({ code: 'aws.mfa_invalid' });
    expect(sim.state.lastAssumeRole).toMatchObject({ serialNumber: SERIAL, tokenCode: '999999', outcome: 'AccessDenied' });
  });
});
