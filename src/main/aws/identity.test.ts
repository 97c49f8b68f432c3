import { IAMClient, ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory } from './clients';
import type { ClientFactory } from './clients';
import { getIdentity } from './identity';
import { ENVIRONMENT_PROFILE } from './types';

const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
let factory: ClientFactory;

function svc(name: string, message: string, status: number): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

beforeEach(async () => {
  sts.reset();
  iam.reset();
  factory = await createClientFactory({
    profile: ENVIRONMENT_PROFILE,
    defaultRegion: 'us-east-1',
    credentials: async () => ({ accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }),
  });
});
afterEach(() => factory.destroy());

describe('getIdentity', () => {
  it('returns account, ARN, user id, partition and alias', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/alice', UserId: 'AIDAX' });
    iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['acme-prod'] });
    expect(await getIdentity(factory, 'dev')).toEqual({
      profile: 'dev',
      accountId: '123456789012',
      arn: 'arn:aws:iam::123456789012:user/alice',
      userId: 'AIDAX',
      partition: 'aws',
      accountAlias: 'acme-prod',
    });
  });

  it('a denied alias lookup is not an error: alias is null', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws-us-gov:sts::123456789012:assumed-role/R/s', UserId: 'AROA:s' });
    iam.on(ListAccountAliasesCommand).rejects(svc('AccessDenied', 'User is not authorized to perform: iam:ListAccountAliases', 403));
    const id = await getIdentity(factory, 'gov');
    expect(id.accountAlias).toBeNull();
    expect(id.partition).toBe('aws-us-gov');
  });

  it('no alias at all is null; China ARNs are aws-cn', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '1', Arn: 'arn:aws-cn:iam::1:root', UserId: '1' });
    iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: [] });
    expect(await getIdentity(factory, 'cn')).toMatchObject({ accountAlias: null, partition: 'aws-cn' });
  });

  it('an STS failure is mapped and thrown', async () => {
    sts.on(GetCallerIdentityCommand).rejects(svc('InvalidClientTokenId', 'The security token included in the request is invalid.', 403));
    await expect(getIdentity(factory, 'dev')).rejects.toMatchObject({ code: 'aws.credentials_invalid', details: { profile: 'dev', service: 'sts' } });
  });

  it('a network failure on the alias lookup is still an error', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '1', Arn: 'arn:aws:iam::1:root', UserId: '1' });
    iam.on(ListAccountAliasesCommand).rejects(Object.assign(new Error('getaddrinfo ENOTFOUND iam.amazonaws.com'), { code: 'ENOTFOUND', hostname: 'iam.amazonaws.com' }));
    await expect(getIdentity(factory, 'dev')).rejects.toMatchObject({ code: 'aws.network' });
  });
});
