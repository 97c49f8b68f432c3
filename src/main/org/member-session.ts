/**
 * A member account's session: the same AccountSession a profile gets (clients, identity, recorded account, a
 * re-check of who the credentials are), built on an assumed role from the home session. Its clients follow the home
 * profile's endpoints (the factory resolves them from the profile, as for every client).
 */
import type { Logger } from '@smithy/types';
import { parseKnownFiles } from '@smithy/core/config';
import { AppError } from '../../shared/errors';
import type { AccountSession } from '../app/account-session';
import { createClientFactory } from '../aws/clients';
import { assertSameAccount, getIdentity } from '../aws/identity';
import type { MfaPrompt } from '../aws/types';
import { ENVIRONMENT_PROFILE } from '../aws/types';
import type { AppDb } from '../db/store';
import { upsertAccount } from '../db/repos/accounts';
import { assumeRoleProvider, type AssumeRoleProvider } from './assume-role';

export interface MemberSession extends AccountSession {
  /** The assumed role's credentials (sessions issued so far: tests and progress). */
  readonly credentials: AssumeRoleProvider;
  readonly roleName: string;
}

export interface OpenMemberOptions {
  db: AppDb;
  home: AccountSession;
  accountId: string;
  roleName: string;
  mfaPrompt?: MfaPrompt;
  logger?: Logger;
  signal?: AbortSignal;
  /** Tests: a shorter session (AWS's minimum is 900 seconds). */
  durationSeconds?: number;
}

/** The MFA device the home profile names (mfa_serial), if any. */
export async function profileMfaSerial(profile: string): Promise<string | null> {
  if (profile === ENVIRONMENT_PROFILE) return null;
  try {
    const v = (await parseKnownFiles({ profile, ignoreCache: true }))[profile]?.mfa_serial;
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
  } catch {
    return null;
  }
}

export async function openMemberSession(o: OpenMemberOptions): Promise<MemberSession> {
  const { home } = o;
  if (o.accountId === home.account.id) throw new AppError('validation', `Account ${o.accountId} is the profile's own account; no role is assumed for it.`);
  const prompt = o.mfaPrompt;
  const credentials = assumeRoleProvider({
    sts: () => home.clients.sts(),
    partition: home.identity.partition,
    accountId: o.accountId,
    roleName: o.roleName,
    profile: home.profile,
    mfaSerial: await profileMfaSerial(home.profile),
    ...(prompt ? { mfaCode: (mfaSerial: string) => prompt({ profile: `${home.profile} → ${o.roleName} in ${o.accountId}`, mfaSerial }) } : {}),
    ...(o.durationSeconds ? { durationSeconds: o.durationSeconds } : {}),
  });
  const clients = await createClientFactory({
    profile: home.profile,
    credentials,
    defaultRegion: home.clients.defaultRegion,
    ...(o.logger ? { logger: o.logger } : {}),
  });
  try {
    const send = o.signal ? { abortSignal: o.signal } : {};
    const identity = await getIdentity(clients, home.profile, send);
    if (identity.accountId !== o.accountId) {
      throw new AppError('aws.account_changed', `Role ${o.roleName} answered for account ${identity.accountId}, not ${o.accountId}; nothing was read.`, {
        accountId: o.accountId,
        actual: identity.accountId,
      });
    }
    const account = await upsertAccount(o.db.db, {
      id: identity.accountId,
      alias: identity.accountAlias,
      partition: identity.partition,
      arn: identity.arn,
      profile: home.profile,
    });
    return {
      profile: home.profile,
      clients,
      identity,
      account,
      registry: home.registry,
      credentials,
      roleName: o.roleName,
      verifyAccount: (signal) => assertSameAccount(clients, { profile: home.profile, accountId: account.id }, signal ? { abortSignal: signal } : {}),
      close: () => clients.destroy(),
    };
  } catch (e) {
    clients.destroy();
    throw e;
  }
}
