import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyProfile, listProfiles } from './profiles';
import type { AwsProfileDto } from './types';

const fixtures = join(import.meta.dirname, '__fixtures__');
const allKinds = {
  AWS_CONFIG_FILE: join(fixtures, 'config-all-kinds.ini'),
  AWS_SHARED_CREDENTIALS_FILE: join(fixtures, 'credentials-all-kinds.ini'),
};

function byName(list: AwsProfileDto[], name: string): AwsProfileDto {
  const p = list.find((x) => x.name === name);
  if (!p) throw new Error(`profile ${name} not listed: ${list.map((x) => x.name).join(', ')}`);
  return p;
}

describe('listProfiles', () => {
  it('lists every profile of both files with its kind, region, MFA, sources and endpoint flag', async () => {
    const { profiles, problems, defaultProfile } = await listProfiles({ env: allKinds });
    expect(problems).toEqual([]);
    expect(profiles.map((p) => p.name)).toEqual([
      'default',
      'creds-only',
      'direct-endpoint',
      'ignored-endpoint',
      'local',
      'nothing',
      'process',
      'role-instance',
      'role-mfa',
      'sso-legacy',
      'sso-new',
      'static-keys',
      'web',
    ]);
    const kinds = Object.fromEntries(profiles.map((p) => [p.name, p.kind]));
    expect(kinds).toEqual({
      default: 'static',
      'creds-only': 'static',
      'direct-endpoint': 'credential-process',
      'ignored-endpoint': 'credential-process',
      local: 'static',
      nothing: 'unknown',
      process: 'credential-process',
      'role-instance': 'assume-role',
      'role-mfa': 'assume-role',
      'sso-legacy': 'sso',
      'sso-new': 'sso',
      'static-keys': 'static',
      web: 'web-identity',
    });
    expect(byName(profiles, 'static-keys')).toEqual({
      name: 'static-keys',
      kind: 'static',
      region: 'eu-west-1',
      mfaRequired: false,
      sources: [allKinds.AWS_CONFIG_FILE, allKinds.AWS_SHARED_CREDENTIALS_FILE],
      customEndpoint: false,
      isDefault: false,
    });
    expect(byName(profiles, 'creds-only').sources).toEqual([allKinds.AWS_SHARED_CREDENTIALS_FILE]);
    expect(byName(profiles, 'creds-only').region).toBeNull();
    expect(byName(profiles, 'role-mfa').mfaRequired).toBe(true);
    expect(byName(profiles, 'sso-legacy').region).toBe('eu-central-1');
    expect(byName(profiles, 'local').customEndpoint).toBe(true);
    expect(byName(profiles, 'direct-endpoint').customEndpoint).toBe(true);
    expect(byName(profiles, 'ignored-endpoint').customEndpoint).toBe(false);
    expect(defaultProfile).toBe('default');
    expect(profiles.filter((p) => p.isDefault).map((p) => p.name)).toEqual(['default']);
  });

  it('never puts a secret in the result', async () => {
    const result = JSON.stringify(await listProfiles({ env: { ...allKinds, AWS_ACCESS_KEY_ID: 'AKIDENVSECRET', AWS_SECRET_ACCESS_KEY: 'env-secret' } }));
    for (const secret of ['AKID', 'secret-fixture', 'token-fixture', 'env-secret']) expect(result).not.toContain(secret);
  });

  it('offers environment credentials as one more choice, and the default when AWS_PROFILE is unset', async () => {
    const { profiles, defaultProfile } = await listProfiles({
      env: { ...allKinds, AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 's', AWS_REGION: 'ap-south-1', AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:1' },
    });
    const envChoice = byName(profiles, '(environment)');
    expect(envChoice).toMatchObject({ kind: 'environment', region: 'ap-south-1', sources: ['environment'], customEndpoint: true, isDefault: true });
    expect(defaultProfile).toBe('(environment)');
  });

  it('needs both environment keys for the environment choice', async () => {
    const { profiles } = await listProfiles({ env: { ...allKinds, AWS_ACCESS_KEY_ID: 'AKIDENV' } });
    expect(profiles.some((p) => p.kind === 'environment')).toBe(false);
  });

  it('marks the AWS_PROFILE profile as the default choice', async () => {
    const { profiles, defaultProfile, problems } = await listProfiles({
      env: { ...allKinds, AWS_PROFILE: 'sso-new', AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 's' },
    });
    expect(defaultProfile).toBe('sso-new');
    expect(profiles.filter((p) => p.isDefault).map((p) => p.name)).toEqual(['sso-new']);
    expect(problems).toEqual([]);
  });

  it('reports an AWS_PROFILE that names no profile, and falls back', async () => {
    const { defaultProfile, problems } = await listProfiles({ env: { ...allKinds, AWS_PROFILE: 'ghost' } });
    expect(defaultProfile).toBe('default');
    expect(problems).toEqual([expect.objectContaining({ code: 'aws.profile_not_found', message: expect.stringContaining('ghost') })]);
  });

  it('reports a malformed file with file and line, and still lists the good sections and the other file', async () => {
    const config = join(fixtures, 'config-malformed.ini');
    const { profiles, problems } = await listProfiles({
      env: { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: allKinds.AWS_SHARED_CREDENTIALS_FILE },
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({ code: 'aws.config_malformed', details: { file: config, line: 4 } });
    expect(problems[0]?.message).toContain(`${config} is malformed at line 4`);
    expect(problems[1]).toMatchObject({ code: 'aws.config_malformed', details: { file: config, line: 9, section: 'profile bad-line' } });
    expect(problems[1]?.message).toContain('line 9');
    const names = profiles.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['good-one', 'good-two', 'default', 'static-keys', 'creds-only']));
    expect(names).not.toContain('bad-line');
    expect(names).not.toContain('broken');
    expect(byName(profiles, 'good-two').kind).toBe('assume-role');
  });

  describe('with files in a temp dir', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'cc-profiles-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('treats missing files as empty, and uses ~/.aws under HOME by default', async () => {
      expect(await listProfiles({ env: { HOME: dir } })).toEqual({ profiles: [], problems: [], defaultProfile: null });
    });

    it('a malformed credentials file does not hide the config file profiles', async () => {
      await writeFile(join(dir, 'config'), '[profile fine]\nregion = eu-west-3\n');
      await writeFile(join(dir, 'credentials'), '[ok]\naws_access_key_id = A\naws_secret_access_key = B\n[oops\n');
      const { profiles, problems } = await listProfiles({
        env: { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') },
      });
      expect(profiles.map((p) => p.name)).toEqual(['fine', 'ok']);
      expect(problems).toEqual([expect.objectContaining({ code: 'aws.config_malformed', details: { file: join(dir, 'credentials'), line: 4 } })]);
    });
  });
});

describe('classifyProfile', () => {
  it('follows the SDK: source_profile AND credential_source is not a role profile', () => {
    expect(classifyProfile({ role_arn: 'r', source_profile: 'a', credential_source: 'Environment' })).toBe('unknown');
    expect(classifyProfile({ role_arn: 'r', source_profile: 'a', aws_access_key_id: 'x', aws_secret_access_key: 'y' })).toBe('assume-role');
  });
});
