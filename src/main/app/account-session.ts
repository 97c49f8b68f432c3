import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Logger } from '@smithy/types';
import { createClientFactory, type ClientFactory } from '../aws/clients';
import { assertSameAccount, getIdentity } from '../aws/identity';
import type { AwsIdentityDto, MfaPrompt } from '../aws/types';
import type { AppDb } from '../db/store';
import { upsertAccount, type AccountDto } from '../db/repos/accounts';
import { registerBuiltinHandlers } from '../handlers/builtin';
import { createHandlerRegistry, type HandlerRegistry } from '../handlers/registry';

/** Everything that belongs to one selected profile: its clients, who it is, and the recorded account. */
export interface AccountSession {
  profile: string;
  clients: ClientFactory;
  identity: AwsIdentityDto;
  account: AccountDto;
  registry: HandlerRegistry;
  /**
   * Asks STS again who the credentials are; refuses (AppError `conflict`, details.reason `aws.account_changed`) when
   * the profile now points at another account. Called before anything is written or deleted on the account's behalf.
   */
  verifyAccount(signal?: AbortSignal): Promise<void>;
  close(): void;
}

export interface OpenSessionOptions {
  /** The resource kinds (default: the ones that ship with the app). */
  registry?: HandlerRegistry;
  db: AppDb;
  profile: string;
  /** Tests: explicit credentials instead of the profile's. */
  credentials?: AwsCredentialIdentityProvider;
  mfaPrompt?: MfaPrompt;
  logger?: Logger;
  signal?: AbortSignal;
}

/**
 * Selecting a profile: build its clients, ask STS who it is (and IAM for the alias), record the account. Nothing
 * else happens before the account is known, so two accounts' data never mix.
 */
/** A registry with the kinds that ship with the app. */
export function builtinRegistry(): HandlerRegistry {
  const registry = createHandlerRegistry();
  registerBuiltinHandlers(registry);
  return registry;
}

export async function openAccountSession(opts: OpenSessionOptions): Promise<AccountSession> {
  const clients = await createClientFactory({
    profile: opts.profile,
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.mfaPrompt ? { mfaPrompt: opts.mfaPrompt } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  try {
    const identity = await getIdentity(clients, opts.profile, opts.signal ? { abortSignal: opts.signal } : {});
    const account = await upsertAccount(opts.db.db, {
      id: identity.accountId,
      alias: identity.accountAlias,
      partition: identity.partition,
      arn: identity.arn,
      profile: opts.profile,
    });
    const registry = opts.registry ?? builtinRegistry();
    return {
      profile: opts.profile,
      clients,
      identity,
      account,
      registry,
      verifyAccount: (signal) =>
        assertSameAccount(clients, { profile: opts.profile, accountId: account.id }, signal ? { abortSignal: signal } : {}),
      close: () => clients.destroy(),
    };
  } catch (e) {
    clients.destroy();
    throw e;
  }
}
