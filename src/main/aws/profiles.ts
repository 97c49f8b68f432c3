/**
 * Lists the AWS profiles a user can pick: every profile of the shared config and credentials files, plus the
 * environment credentials as one more choice. Only non-secret facts leave this module.
 */
import { readFile } from 'node:fs/promises';
import { AppError } from '../../shared/errors';
import type { AppErrorDto } from '../../shared/errors';
import { configFilePath, credentialsFilePath } from './config-paths';
import { parseIni } from './ini-file';
import type { IniSection } from './ini-file';
import { ENVIRONMENT_PROFILE } from './types';
import type { AwsProfileDto, ProfileKind, ProfileListDto } from './types';

type Env = Record<string, string | undefined>;

export interface ListProfilesOptions {
  /** Defaults to process.env; tests pass their own. */
  env?: Env;
}

interface ProfileEntry {
  values: Record<string, string>;
  sources: Set<string>;
}

/** What the SDK's fromIni would do with these settings, in the order it checks them. */
export function classifyProfile(v: Record<string, string>): ProfileKind {
  const hasSourceProfile = v.source_profile !== undefined && v.credential_source === undefined;
  const hasCredentialSource = v.credential_source !== undefined && v.source_profile === undefined;
  if (v.role_arn !== undefined && (hasSourceProfile || hasCredentialSource)) return 'assume-role';
  if (v.aws_access_key_id !== undefined && v.aws_secret_access_key !== undefined) return 'static';
  if (v.web_identity_token_file !== undefined && v.role_arn !== undefined) return 'web-identity';
  if (v.credential_process !== undefined) return 'credential-process';
  if (['sso_start_url', 'sso_session', 'sso_account_id', 'sso_region', 'sso_role_name'].some((k) => v[k] !== undefined)) {
    return 'sso';
  }
  return 'unknown';
}

function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
}

async function readIfPresent(path: string, problems: AppErrorDto[]): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    problems.push(
      new AppError('aws.config_malformed', `The AWS file ${path} could not be read (${code ?? 'error'}); check its permissions.`, {
        file: path,
      }).toDto(),
    );
    return null;
  }
}

function parseInto(
  path: string,
  text: string,
  problems: AppErrorDto[],
  profileName: (section: IniSection) => string | null,
  into: Map<string, ProfileEntry>,
): void {
  const parsed = parseIni(text);
  for (const p of parsed.problems) {
    const ignored = p.section ? ` Section [${p.section}] is ignored until this is fixed.` : '';
    problems.push(
      new AppError('aws.config_malformed', `The AWS file ${path} is malformed at line ${p.line}: ${p.reason}.${ignored}`, {
        file: path,
        line: p.line,
        ...(p.section ? { section: p.section } : {}),
      }).toDto(),
    );
  }
  for (const section of parsed.sections) {
    const name = profileName(section);
    if (name === null) continue;
    const entry = into.get(name) ?? { values: {}, sources: new Set<string>() };
    Object.assign(entry.values, section.values);
    entry.sources.add(path);
    into.set(name, entry);
  }
}

/** `[default]` and `[profile NAME]` are profiles in the config file; `[sso-session …]`, `[services …]` are not. */
function configProfileName(section: IniSection): string | null {
  if (section.header === 'default') return 'default';
  const m = /^profile\s+(.+)$/.exec(section.header);
  return m?.[1]?.trim() ?? null;
}

export async function listProfiles(options: ListProfilesOptions = {}): Promise<ProfileListDto> {
  const env = options.env ?? process.env;
  const problems: AppErrorDto[] = [];
  const configPath = configFilePath(env);
  const credentialsPath = credentialsFilePath(env);
  const [configText, credentialsText] = await Promise.all([
    readIfPresent(configPath, problems),
    readIfPresent(credentialsPath, problems),
  ]);

  const fromConfig = new Map<string, ProfileEntry>();
  const fromCredentials = new Map<string, ProfileEntry>();
  if (configText !== null) parseInto(configPath, configText, problems, configProfileName, fromConfig);
  if (credentialsText !== null) parseInto(credentialsPath, credentialsText, problems, (s) => s.header, fromCredentials);

  const names = new Set([...fromConfig.keys(), ...fromCredentials.keys()]);
  const envIgnoresEndpoints = isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS);
  const profiles: AwsProfileDto[] = [];
  for (const name of names) {
    const c = fromConfig.get(name);
    const k = fromCredentials.get(name);
    // The SDK merges credentials-file values over config-file values.
    const values = { ...c?.values, ...k?.values };
    const ignoresEndpoints = envIgnoresEndpoints || isTrue(values.ignore_configured_endpoint_urls);
    profiles.push({
      name,
      kind: classifyProfile(values),
      region: values.region || null,
      mfaRequired: Boolean(values.mfa_serial),
      sources: [...(c?.sources ?? []), ...(k?.sources ?? [])],
      customEndpoint: !ignoresEndpoints && Boolean(values.endpoint_url || values.services),
      isDefault: false,
    });
  }
  profiles.sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));

  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    profiles.push({
      name: ENVIRONMENT_PROFILE,
      kind: 'environment',
      region: env.AWS_REGION || env.AWS_DEFAULT_REGION || null,
      mfaRequired: false,
      sources: ['environment'],
      customEndpoint: !envIgnoresEndpoints && Object.keys(env).some((key) => key.startsWith('AWS_ENDPOINT_URL') && Boolean(env[key])),
      isDefault: false,
    });
  }

  const defaultProfile = pickDefault(env, profiles, problems);
  for (const p of profiles) p.isDefault = p.name === defaultProfile;
  return { profiles, problems, defaultProfile };
}

/** AWS_PROFILE wins (as in the CLI); then environment keys (the SDK's default chain tries them first); then `default`. */
function pickDefault(env: Env, profiles: AwsProfileDto[], problems: AppErrorDto[]): string | null {
  const has = (name: string): boolean => profiles.some((p) => p.name === name);
  const wanted = env.AWS_PROFILE?.trim();
  if (wanted) {
    if (has(wanted)) return wanted;
    problems.push(
      new AppError('aws.profile_not_found', `AWS_PROFILE is set to "${wanted}", but no such profile is in the AWS config or credentials file.`, {
        profile: wanted,
      }).toDto(),
    );
  }
  if (has(ENVIRONMENT_PROFILE)) return ENVIRONMENT_PROFILE;
  if (has('default')) return 'default';
  return null;
}
