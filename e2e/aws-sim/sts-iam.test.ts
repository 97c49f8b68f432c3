import { IAMClient, ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleAccount, startSimulator } from './index';
import type { AccountFixture, Simulator } from './index';
import { iamClient, SIM_CREDENTIALS, stsClient } from './test-clients';

let sim: Simulator;
let sample: AccountFixture;
beforeAll(async () => {
  sample = await loadSampleAccount();
  sim = await startSimulator({ fixture: sample });
});
afterAll(async () => {
  await sim.close();
});

describe('STS', () => {
  it('GetCallerIdentity returns the fixture identity; the region comes from the signing scope', async () => {
    const sts = stsClient(sim.endpoint, { region: 'eu-west-1' });
    const out = await sts.send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/cloud-cleaner-demo', UserId: 'AIDASAMPLEUSERID0001' });
    expect(sim.counts().byOperationAndRegion['sts:GetCallerIdentity']).toEqual({ 'eu-west-1': 1 });
    sts.destroy();
  });
});

describe('IAM', () => {
  it('ListAccountAliases returns the alias (IAM signs in us-east-1 whatever the client region)', async () => {
    const iam = new IAMClient({ region: 'ap-northeast-1', endpoint: sim.endpoint, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
    const out = await iam.send(new ListAccountAliasesCommand({}));
    expect(out.AccountAliases).toEqual(['acme-sandbox']);
    expect(out.IsTruncated).toBe(false);
    expect(Object.keys(sim.counts().byOperationAndRegion['iam:ListAccountAliases'] ?? {})).toHaveLength(1);
    iam.destroy();
  });

  it('an account without alias has an empty list; a denied call is AccessDenied (403)', async () => {
    const other = await startSimulator({ fixture: { ...sample, alias: null, deny: ['iam:ListAccountAliases'] } });
    const iam = iamClient(other.endpoint);
    await expect(iam.send(new ListAccountAliasesCommand({}))).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    other.state.deny.clear();
    expect((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([]);
    iam.destroy();
    await other.close();
  });
});
