/**
 * The standard "configured endpoint" settings (endpoint_url, services sections, AWS_ENDPOINT_URL[_SERVICE],
 * ignore_configured_endpoint_urls) resolved for ONE named profile.
 *
 * Why not leave it to the SDK: @smithy/core's getEndpointFromConfig calls loadConfig() without the client's
 * `profile`, so it reads AWS_PROFILE (or `default`) — a client for profile "prod" would follow the endpoint_url of
 * `default`. We resolve with the SDK's own file loader for the chosen profile, using the same precedence as the SDK
 * and the AWS CLI, then give each client either `endpoint` or `ignoreConfiguredEndpointUrls: true` (public options)
 * so the SDK never falls back to the wrong profile. Unlike the SDK (which swallows it and then calls real AWS), a
 * `services` reference to a missing section is an error.
 */
import { loadSharedConfigFiles } from '@smithy/core/config';
import { AppError } from '../../shared/errors';

type Env = Record<string, string | undefined>;

export interface ProfileEndpointSettings {
  /** The profile's `region`, if any. */
  profileRegion: string | undefined;
  /** True when the profile itself is an SSO profile (its provider's inner client is SSO, not STS). */
  usesSso: boolean;
  /** True when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls is true. */
  ignoreConfigured: boolean;
  /** The configured endpoint URL for an SDK service id (`EC2`, `Cost Explorer`, …), or undefined for AWS's own. */
  endpointFor(serviceId: string): string | undefined;
}

function parseBoolean(value: string | undefined, source: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new AppError('aws.config_malformed', `${source} must be "true" or "false", not "${value}".`, { source });
}

/** `profile` null = the environment pseudo-profile: only environment variables apply. */
export async function loadProfileEndpointSettings(profile: string | null, env: Env = process.env): Promise<ProfileEndpointSettings> {
  let data: Record<string, string | undefined> = {};
  let configFile: Record<string, Record<string, string | undefined> | undefined> = {};
  if (profile !== null) {
    const files = await loadSharedConfigFiles({ ignoreCache: true });
    configFile = files.configFile;
    // The SDK's loadConfig prefers config-file values over credentials-file values for settings.
    data = { ...files.credentialsFile[profile], ...files.configFile[profile] };
  }

  const ignoreConfigured =
    parseBoolean(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS') ??
    parseBoolean(data.ignore_configured_endpoint_urls, `ignore_configured_endpoint_urls in profile "${profile ?? ''}"`) ??
    false;

  const servicesName = data.services;
  const servicesSection = servicesName ? configFile[`services.${servicesName}`] : undefined;
  if (!ignoreConfigured && servicesName && servicesSection === undefined) {
    throw new AppError(
      'aws.config_malformed',
      `Profile "${profile ?? ''}" refers to services section "${servicesName}", which is not in the AWS config file; add [services ${servicesName}] or remove the reference.`,
      { profile, services: servicesName },
    );
  }

  const endpointFor = (serviceId: string): string | undefined => {
    if (ignoreConfigured) return undefined;
    const words = serviceId.split(' ');
    // Precedence (SDK and CLI): service env > global env > services section > profile endpoint_url.
    const candidates = [
      env[['AWS_ENDPOINT_URL', ...words.map((w) => w.toUpperCase())].join('_')],
      env.AWS_ENDPOINT_URL,
      servicesSection?.[`${words.map((w) => w.toLowerCase()).join('_')}.endpoint_url`],
      data.endpoint_url,
    ];
    return candidates.find((c): c is string => typeof c === 'string' && c !== '');
  };

  const usesSso = !data.role_arn && Object.keys(data).some((k) => k.startsWith('sso_'));
  return { profileRegion: data.region || undefined, usesSso, ignoreConfigured, endpointFor };
}
