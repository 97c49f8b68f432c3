/**
 * The simulator's CloudWatch Logs (JSON 1.1, `Logs_20140328`) against the real `@aws-sdk/client-cloudwatch-logs`:
 * DescribeLogGroups (shapes, prefix, pattern, limit 1–50, nextToken), PutRetentionPolicy (AWS's values only),
 * DeleteRetentionPolicy, DeleteLogGroup (deletion protection → ValidationException, missing → ResourceNotFoundException),
 * ListTagsForResource (the ARN without `:*`), the tagging API's `logs:log-group`, and the deny list.
 */
import {
  CloudWatchLogsClient,
  DeleteLogGroupCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  PutRetentionPolicyCommand,
  type DescribeLogGroupsCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from './index';
import { startSimulator } from './index';
import { SIM_CREDENTIALS } from './test-clients';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const NOW = new Date('2026-11-25T12:00:00Z');
const ARN = (name: string): string => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`;

let sim: Simulator;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  sim = await startSimulator({
    now: NOW,
    fixture: {
      accountId: ACCOUNT,
      regions: [{ name: REGION }],
      resources: {
        [REGION]: {
          logs: {
            logGroups: [
              { name: '/app/a', createdDaysAgo: 10, storedBytes: 1234, tags: { team: 'core' } },
              { name: '/app/b', retentionInDays: 30, kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k1' },
              { name: '/aws/lambda/fn', storedBytes: 99, deletionProtection: true, metricFilterCount: 1 },
              { name: '/app/c', logGroupClass: 'INFREQUENT_ACCESS' },
              { name: 'other', storedBytes: 5 },
            ],
          },
        },
      },
    },
  });
  logs = new CloudWatchLogsClient({ region: REGION, endpoint: sim.endpoint, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
});

afterAll(async () => {
  logs?.destroy();
  await sim.close();
});

async function names(input: DescribeLogGroupsCommandInput): Promise<{ pages: string[][] }> {
  const pages: string[][] = [];
  let token: string | undefined;
  do {
    const out = await logs.send(new DescribeLogGroupsCommand({ ...input, ...(token ? { nextToken: token } : {}) }));
    pages.push((out.logGroups ?? []).map((g) => g.logGroupName ?? ''));
    token = out.nextToken;
  } while (token);
  return { pages };
}

describe('DescribeLogGroups', () => {
  it('answers the SDK shape: arn with :*, logGroupArn without, retentionInDays only when set', async () => {
    const out = await logs.send(new DescribeLogGroupsCommand({}));
    expect(out.nextToken).toBeUndefined();
    expect(out.logGroups?.map((g) => g.logGroupName)).toEqual(['/app/a', '/app/b', '/app/c', '/aws/lambda/fn', 'other']);
    const a = out.logGroups![0]!;
    expect(a).toEqual({
      logGroupName: '/app/a',
      creationTime: NOW.getTime() - 10 * 86_400_000,
      metricFilterCount: 0,
      arn: `${ARN('/app/a')}:*`,
      storedBytes: 1234,
      logGroupClass: 'STANDARD',
      logGroupArn: ARN('/app/a'),
      deletionProtectionEnabled: false,
    });
    expect(out.logGroups![1]).toMatchObject({ retentionInDays: 30, kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k1' });
    expect(out.logGroups![2]).toMatchObject({ logGroupClass: 'INFREQUENT_ACCESS' });
    expect(out.logGroups![3]).toMatchObject({ deletionProtectionEnabled: true, metricFilterCount: 1 });
  });

  it('pages by limit with nextToken; prefix and pattern filter', async () => {
    expect((await names({ limit: 2 })).pages).toEqual([['/app/a', '/app/b'], ['/app/c', '/aws/lambda/fn'], ['other']]);
    expect((await names({ logGroupNamePrefix: '/app/', limit: 2 })).pages).toEqual([['/app/a', '/app/b'], ['/app/c']]);
    const pat = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'lambda' }));
    // With a pattern AWS answers only arn, creationTime and logGroupName.
    expect(pat.logGroups).toEqual([{ logGroupName: '/aws/lambda/fn', creationTime: expect.any(Number), arn: `${ARN('/aws/lambda/fn')}:*` }]);
  });

  it('rejects a limit outside 1–50, prefix with pattern, and a token of another request', async () => {
    await expect(logs.send(new DescribeLogGroupsCommand({ limit: 51 }))).rejects.toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
    await expect(logs.send(new DescribeLogGroupsCommand({ limit: 0 }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/a', logGroupNamePattern: 'a' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const first = await logs.send(new DescribeLogGroupsCommand({ limit: 1 }));
    await expect(logs.send(new DescribeLogGroupsCommand({ limit: 2, nextToken: first.nextToken }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('a denied logs:DescribeLogGroups is AccessDeniedException naming the IAM action', async () => {
    sim.state.deny.add('logs:DescribeLogGroups');
    try {
      await expect(logs.send(new DescribeLogGroupsCommand({}))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringContaining('not authorized to perform: logs:DescribeLogGroups'),
      });
    } finally {
      sim.state.deny.delete('logs:DescribeLogGroups');
    }
  });
});

describe('retention', () => {
  it("PutRetentionPolicy takes only AWS's values and changes nothing else; DeleteRetentionPolicy makes it never expire", async () => {
    const group = () => sim.state.region(REGION).logs.groups.get('/app/a')!;
    const before = structuredClone(group());
    await expect(logs.send(new PutRetentionPolicyCommand({ logGroupName: '/app/a', retentionInDays: 45 }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect(group().retentionInDays).toBeUndefined();
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/app/a', retentionInDays: 731 }));
    expect(group()).toEqual({ ...before, retentionInDays: 731 });
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: '/app/a' }));
    expect(group()).toEqual(before);
    await expect(logs.send(new PutRetentionPolicyCommand({ logGroupName: '/app/none', retentionInDays: 30 }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('DeleteLogGroup and tags', () => {
  it('refuses a deletion-protected group with ValidationException; a missing group is ResourceNotFoundException 400', async () => {
    await expect(logs.send(new DeleteLogGroupCommand({ logGroupName: '/aws/lambda/fn' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Cannot delete log group with deletion protection enabled. Disable deletion protection first.',
      $metadata: { httpStatusCode: 400 },
    });
    expect(sim.state.region(REGION).logs.groups.has('/aws/lambda/fn')).toBe(true);
    await expect(logs.send(new DeleteLogGroupCommand({ logGroupName: '/app/none' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
  });

  it('ListTagsForResource takes the ARN without :*; the tagging API lists tagged groups as logs:log-group', async () => {
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: ARN('/app/a') }))).tags).toEqual({ team: 'core' });
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: ARN('other') }))).tags).toEqual({});
    await expect(logs.send(new ListTagsForResourceCommand({ resourceArn: `${ARN('/app/a')}:*` }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const tagging = new ResourceGroupsTaggingAPIClient({ region: REGION, endpoint: sim.endpoint, credentials: SIM_CREDENTIALS, maxAttempts: 1 });
    try {
      const out = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['logs:log-group'] }));
      expect(out.ResourceTagMappingList).toEqual([{ ResourceARN: ARN('/app/a'), Tags: [{ Key: 'team', Value: 'core' }] }]);
    } finally {
      tagging.destroy();
    }
  });

  it('deletes an unprotected group', async () => {
    await logs.send(new DeleteLogGroupCommand({ logGroupName: 'other' }));
    expect(sim.state.region(REGION).logs.groups.has('other')).toBe(false);
  });
});
