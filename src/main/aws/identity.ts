import { ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AppError } from '../../shared/errors';
import type { ClientFactory } from './clients';
import { toAppError } from './errors';
import { partitionOfArn } from './partition';
import type { AwsIdentityDto } from './types';

/**
 * Who the profile is: STS GetCallerIdentity (required) and the IAM account alias (cosmetic: a denial or a service
 * that does not answer yields null; network, credential and cancellation errors still fail).
 */
export async function getIdentity(
  clients: Pick<ClientFactory, 'sts' | 'iam'>,
  profile: string,
  options: { abortSignal?: AbortSignal } = {},
): Promise<AwsIdentityDto> {
  const send = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  let caller;
  try {
    caller = await clients.sts().send(new GetCallerIdentityCommand({}), send);
  } catch (err) {
    throw toAppError(err, { profile, service: 'sts' });
  }
  const { Account, Arn, UserId } = caller;
  if (!Account || !Arn || !UserId) {
    throw new AppError('aws.service_error', 'STS GetCallerIdentity returned an incomplete identity; try again.', { profile });
  }

  let accountAlias: string | null = null;
  try {
    const aliases = await clients.iam().send(new ListAccountAliasesCommand({}), send);
    accountAlias = aliases.AccountAliases?.[0] ?? null;
  } catch (err) {
    const mapped = toAppError(err, { profile, service: 'iam' });
    if (mapped.code !== 'aws.access_denied' && mapped.code !== 'aws.service_error') throw mapped;
  }

  return { profile, accountId: Account, arn: Arn, userId: UserId, partition: partitionOfArn(Arn), accountAlias };
}

/**
 * Why an AppError refused to act: the profile's credentials now belong to another account than the session's. The
 * error's code is `conflict` with this as `details.reason` until src/shared/errors.ts has a code of its own for it.
 */
export const ACCOUNT_CHANGED = 'aws.account_changed';

/**
 * Asks STS which account the profile's credentials are for now, and refuses (AppError `conflict`, details.reason
 * ACCOUNT_CHANGED) when it is not `expectedAccountId`. Credentials are re-read while the app runs (expiring ones
 * are resolved again from the files), so a profile repointed at another account mid-session would otherwise act in
 * that account under the first one's name. One GetCallerIdentity call, no alias lookup.
 */
export async function assertSameAccount(
  clients: Pick<ClientFactory, 'sts'>,
  expected: { profile: string; accountId: string },
  options: { abortSignal?: AbortSignal } = {},
): Promise<void> {
  let caller;
  try {
    caller = await clients.sts().send(new GetCallerIdentityCommand({}), options.abortSignal ? { abortSignal: options.abortSignal } : {});
  } catch (err) {
    throw toAppError(err, { profile: expected.profile, service: 'sts' });
  }
  if (!caller.Account) {
    throw new AppError('aws.service_error', 'STS GetCallerIdentity returned an incomplete identity; try again.', { profile: expected.profile });
  }
  if (caller.Account !== expected.accountId) {
    throw new AppError(
      'aws.account_changed',
      `Profile "${expected.profile}" now signs in to account ${caller.Account}, not ${expected.accountId} (the account selected). Nothing was done; select the profile again to work in account ${caller.Account}.`,
      { reason: ACCOUNT_CHANGED, profile: expected.profile, expectedAccountId: expected.accountId, actualAccountId: caller.Account, arn: caller.Arn ?? null },
    );
  }
}
