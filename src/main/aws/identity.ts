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
