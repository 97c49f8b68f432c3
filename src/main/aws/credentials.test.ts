import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors';
import { startLocalAwsServer } from './__fixtures__/local-aws-server';
import type { LocalAwsServer } from './__fixtures__/local-aws-server';
import { AWS_ENV_CLEARED, setEnv } from './__fixtures__/test-env';
import { createClientFactory } from './clients';
import type { ClientFactory } from './clients';
import { clearCredentialCache, getCredentialProvider } from './credentials';
import { ENVIRONMENT_PROFILE } from './types';

const MFA_SERIAL = 'arn:aws:iam::123456789012:mfa/alice';
let server: LocalAwsServer;
let dir: string;
let restoreEnv: () => void;
const factories: ClientFactory[] = [];

beforeAll(async () => {
  server = await startLocalAwsServer('sts');
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cc-creds-'));
  restoreEnv = setEnv({
    ...AWS_ENV_CLEARED,
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  server.requests.length = 0;
  await writeFile(join(dir, 'credentials'), '[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n');
  await writeFile(
    join(dir, 'config'),
    `[profile mfa]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = base
mfa_serial = ${MFA_SERIAL}
region = eu-west-1
endpoint_url = ${server.url}

[profile sso-new]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = eu-west-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile sso-legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = ReadOnly

[profile empty]
output = json
`,
  );
});
afterEach(async () => {
  for (const f of factories.splice(0)) f.destroy();
  clearCredentialCache();
  restoreEnv();
  await rm(dir, { recursive: true, force: true });
});

async function factory(opts: Parameters<typeof createClientFactory>[0]): Promise<ClientFactory> {
  const f = await createClientFactory(opts);
  factories.push(f);
  return f;
}

describe('assume-role with MFA', () => {
  it('asks the prompt once, sends the code to STS as TokenCode, and signs with the assumed credentials', async () => {
    const prompt = vi.fn(async () => '123456');
    const f = await factory({ profile: 'mfa', mfaPrompt: prompt });
    const who = await f.sts().send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe('123456789012');

    expect(prompt).toHaveBeenCalledTimes(1);
    expect(prompt).toHaveBeenCalledWith({ profile: 'mfa', mfaSerial: MFA_SERIAL });
    const assume = server.requests.find((r) => r.action === 'AssumeRole');
    expect(assume?.params.get('TokenCode')).toBe('123456');
    expect(assume?.params.get('SerialNumber')).toBe(MFA_SERIAL);
    expect(assume?.params.get('RoleArn')).toBe('arn:aws:iam::123456789012:role/Admin');
    expect(assume?.headers.authorization).toContain('Credential=AKIDBASE/');
    const call = server.requests.find((r) => r.action === 'GetCallerIdentity');
    expect(call?.headers.authorization).toContain('Credential=ASIAASSUMEDSTS/');
    expect(call?.headers['x-amz-security-token']).toBe('assumed-token');

    // Another client of the same profile reuses the credentials: no second prompt, no second AssumeRole.
    await f.ec2('eu-west-1').send(new DescribeRegionsCommand({}));
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(server.requests.filter((r) => r.action === 'AssumeRole')).toHaveLength(1);
  });

  it('a cancelled prompt is aws.mfa_cancelled and nothing reaches STS; the next try prompts again', async () => {
    const prompt = vi.fn().mockRejectedValueOnce(new Error('user closed the dialog')).mockResolvedValueOnce('654321');
    const f = await factory({ profile: 'mfa', mfaPrompt: prompt });
    const err = await f.sts().send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'aws.mfa_cancelled' });
    expect(server.requests).toHaveLength(0);

    await f.sts().send(new GetCallerIdentityCommand({}));
    expect(server.requests.find((r) => r.action === 'AssumeRole')?.params.get('TokenCode')).toBe('654321');
  });

  it('an empty code counts as cancel; without a prompt the error is aws.mfa_required', async () => {
    await expect(getCredentialProvider('mfa', { mfaPrompt: async () => '  ' })()).rejects.toMatchObject({ code: 'aws.mfa_cancelled' });
    clearCredentialCache('mfa');
    await expect(getCredentialProvider('mfa')()).rejects.toMatchObject({ code: 'aws.mfa_required' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('SSO', () => {
  it('a missing SSO token cache is aws.sso_expired with the login command', async () => {
    const err = await getCredentialProvider('sso-new')().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'aws.sso_expired' });
    expect((err as AppError).message).toContain('aws sso login --profile sso-new');
  });

  it('an expired legacy SSO token is aws.sso_expired too', async () => {
    const cacheDir = join(dir, '.aws', 'sso', 'cache');
    await mkdir(cacheDir, { recursive: true });
    const name = createHash('sha1').update('https://legacy.awsapps.com/start').digest('hex');
    await writeFile(
      join(cacheDir, `${name}.json`),
      JSON.stringify({ startUrl: 'https://legacy.awsapps.com/start', region: 'us-east-1', accessToken: 'x', expiresAt: '2020-01-01T00:00:00Z' }),
    );
    const err = await getCredentialProvider('sso-legacy')().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'aws.sso_expired' });
    expect((err as AppError).message).toContain('aws sso login --profile sso-legacy');
  });
});

describe('missing and unknown', () => {
  it('an unknown profile is aws.profile_not_found', async () => {
    await expect(getCredentialProvider('nope')()).rejects.toMatchObject({ code: 'aws.profile_not_found', message: expect.stringContaining('"nope"') });
  });

  it('a profile without credential settings is aws.credentials_missing', async () => {
    await expect(getCredentialProvider('empty')()).rejects.toMatchObject({ code: 'aws.credentials_missing' });
  });

  it('the environment choice reads the environment, and says so when keys are missing', async () => {
    await expect(getCredentialProvider(ENVIRONMENT_PROFILE)()).rejects.toMatchObject({ code: 'aws.credentials_missing' });
    clearCredentialCache(ENVIRONMENT_PROFILE);
    restoreEnv = ((r, s) => () => (s(), r()))(restoreEnv, setEnv({ AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret' }));
    await expect(getCredentialProvider(ENVIRONMENT_PROFILE)()).resolves.toMatchObject({ accessKeyId: 'AKIDENV' });
  });

  it('keeps one provider per profile until the cache is cleared', () => {
    const p = getCredentialProvider('base');
    expect(getCredentialProvider('base')).toBe(p);
    expect(getCredentialProvider('mfa')).not.toBe(p);
    clearCredentialCache('base');
    expect(getCredentialProvider('base')).not.toBe(p);
  });
});

describe('credential_process', () => {
  const node = JSON.stringify(process.execPath);
  const failing = `${node} -e "process.stderr.write('SECRET-TOKEN'); process.exit(3)"`;
  beforeEach(async () => {
    await writeFile(
      join(dir, 'ok.js'),
      `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKIDPROC', SecretAccessKey: 'proc-secret', SessionToken: 'proc-token', Expiration: new Date(Date.now() + 3600e3).toISOString() }));`,
    );
    await writeFile(
      join(dir, 'config'),
      `
[profile proc-fail]
credential_process = ${failing}

[profile proc-ok]
credential_process = ${node} ${JSON.stringify(join(dir, 'ok.js'))}
aws_account_id = 123456789012

[profile proc-chain]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = proc-fail
endpoint_url = ${server.url}
`,
      { flag: 'a' },
    );
  });

  const secretFree = (err: unknown): void => {
    const e = err as AppError;
    const everything = JSON.stringify({ message: e.message, details: e.details, dto: e.toDto(), cause: String(e.cause), stack: e.stack });
    for (const leak of ['SECRET-TOKEN', 'process.exit', 'stderr.write', process.execPath]) expect(everything).not.toContain(leak);
  };

  it('a failing process reports its exit code, never its command line or what it printed', async () => {
    const err = await getCredentialProvider('proc-fail')().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'aws.credentials_missing', details: { profile: 'proc-fail', exitCode: 3 } });
    expect((err as AppError).message).toBe('The credential_process of profile "proc-fail" failed with exit code 3; run it in a terminal to see why.');
    secretFree(err);
  });

  it('a failing process behind a source_profile (run by the SDK) is reported without its command line or output', async () => {
    const err = await getCredentialProvider('proc-chain')().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'aws.credentials_missing', message: expect.stringContaining('credential_process used by profile "proc-chain" failed') });
    secretFree(err);
    expect(server.requests).toHaveLength(0);
  });

  it('a working process gives its credentials, and the account id from the profile', async () => {
    await expect(getCredentialProvider('proc-ok')()).resolves.toMatchObject({
      accessKeyId: 'AKIDPROC',
      secretAccessKey: 'proc-secret',
      sessionToken: 'proc-token',
      expiration: expect.any(Date),
      accountId: '123456789012',
    });
  });

  it('a failed resolution drops the cached provider (the next one reads everything again); a good one is kept', async () => {
    const failed = getCredentialProvider('proc-fail');
    await expect(failed()).rejects.toBeInstanceOf(AppError);
    expect(getCredentialProvider('proc-fail')).not.toBe(failed);
    const ok = getCredentialProvider('proc-ok');
    await ok();
    expect(getCredentialProvider('proc-ok')).toBe(ok);
  });
});

describe('logging', () => {
  it('never hands a secret to the logger', async () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]): void => {
      lines.push(JSON.stringify(args));
    };
    const logger = { debug: capture, info: capture, warn: capture, error: capture };
    const f = await factory({ profile: 'mfa', mfaPrompt: async () => '123456', logger });
    await f.sts().send(new GetCallerIdentityCommand({}));
    const all = lines.join('\n');
    expect(all).toContain('GetCallerIdentity');
    for (const secret of ['base-secret', 'assumed-secret', 'assumed-token', 'AKIDBASE', 'ASIAASSUMEDSTS']) expect(all).not.toContain(secret);
  });
});
