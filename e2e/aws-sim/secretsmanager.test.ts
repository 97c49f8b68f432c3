/**
 * The simulator's Secrets Manager (JSON 1.1) against the real `@aws-sdk/client-secrets-manager`: ListSecrets paging,
 * IncludePlannedDeletion and filters, DescribeSecret by ARN or name (ReplicationStatus of a primary), DeleteSecret's
 * recovery window and its refusals (InvalidParameterException, InvalidRequestException), RestoreSecret, and
 * ResourceNotFoundException / AccessDeniedException.
 */
import {
  DeleteSecretCommand,
  DescribeSecretCommand,
  ListSecretsCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from './index';
import { startSimulator } from './index';
import { secretArn } from './secretsmanager-state';
import { clientPool, errorOf } from './test-clients';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const NOW = new Date('2026-11-25T12:00:00Z');
const DAY = 86_400_000;

let sim: Simulator;
const clients = clientPool(SecretsManagerClient, () => sim.endpoint, { region: REGION });
const sm = clients.client;

beforeAll(async () => {
  sim = await startSimulator({
    now: NOW,
    fixture: {
      accountId: ACCOUNT,
      regions: [{ name: REGION }],
      resources: {
        [REGION]: {
          secretsManager: {
            secrets: [
              { name: 'app/db', lastAccessedDaysAgo: 3, tags: { team: 'web' }, createdDaysAgo: 100 },
              { name: 'rds!db-1', owningService: 'rds', createdDaysAgo: 90 },
              { name: 'pending', deletedDaysAgo: 2, createdDaysAgo: 80 },
              { name: 'primary', replicaRegions: ['eu-west-1', 'us-west-2'], createdDaysAgo: 70 },
              { name: 'replica', primaryOf: 'eu-central-1', createdDaysAgo: 60 },
              { name: 'plain', createdDaysAgo: 50 },
              ...Array.from({ length: 5 }, (_, i) => ({ name: `bulk-${i}`, createdDaysAgo: 10 + i })),
            ],
          },
        },
      },
    },
  });
});
afterAll(async () => {
  await sim.close();
});
afterEach(clients.destroyAll);

describe('Secrets Manager ListSecrets', () => {
  it('pages, leaves out secrets scheduled for deletion unless asked, and answers dates the SDK parses', async () => {
    const names: string[] = [];
    let token: string | undefined;
    let calls = 0;
    do {
      const out = await sm().send(new ListSecretsCommand({ MaxResults: 4, NextToken: token }));
      names.push(...(out.SecretList ?? []).map((s) => s.Name!));
      token = out.NextToken;
      calls++;
    } while (token);
    expect(calls).toBe(3);
    expect(names).toHaveLength(10);
    expect(names).not.toContain('pending');
    const withPlanned = await sm().send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
    expect(withPlanned.SecretList?.find((s) => s.Name === 'pending')?.DeletedDate).toEqual(new Date(NOW.getTime() - 2 * DAY));
    const db = withPlanned.SecretList?.find((s) => s.Name === 'app/db');
    expect(db).toMatchObject({ ARN: secretArn(REGION, ACCOUNT, 'app/db'), Tags: [{ Key: 'team', Value: 'web' }] });
    expect(db?.LastAccessedDate).toEqual(new Date('2026-11-22T00:00:00Z'));
    expect(db?.CreatedDate).toEqual(new Date(NOW.getTime() - 100 * DAY));
    expect(withPlanned.SecretList?.find((s) => s.Name === 'rds!db-1')?.OwningService).toBe('rds');
    expect(await errorOf(sm().send(new ListSecretsCommand({ MaxResults: 101 })))).toEqual({ name: 'InvalidParameterException', status: 400 });
  });

  it('filters by name prefix and owning service', async () => {
    const bulk = await sm().send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['bulk-'] }] }));
    expect(bulk.SecretList).toHaveLength(5);
    const rds = await sm().send(new ListSecretsCommand({ Filters: [{ Key: 'owning-service', Values: ['rds'] }] }));
    expect(rds.SecretList?.map((s) => s.Name)).toEqual(['rds!db-1']);
  });
});

describe('Secrets Manager DescribeSecret, DeleteSecret, RestoreSecret', () => {
  it('describes by name or ARN; a primary lists its replicas; unknown → ResourceNotFoundException', async () => {
    const p = await sm().send(new DescribeSecretCommand({ SecretId: secretArn(REGION, ACCOUNT, 'primary') }));
    expect(p.PrimaryRegion).toBe(REGION);
    expect(p.ReplicationStatus?.map((r) => [r.Region, r.Status])).toEqual([
      ['eu-west-1', 'InSync'],
      ['us-west-2', 'InSync'],
    ]);
    expect((await sm().send(new DescribeSecretCommand({ SecretId: 'plain' }))).ReplicationStatus).toBeUndefined();
    expect(await errorOf(sm().send(new DescribeSecretCommand({ SecretId: 'nope' })))).toEqual({ name: 'ResourceNotFoundException', status: 400 });
  });

  it('schedules deletion with the window (7–30) and answers DeletionDate; refuses again, replicated primaries and replicas; restores', async () => {
    expect(await errorOf(sm().send(new DeleteSecretCommand({ SecretId: 'plain', RecoveryWindowInDays: 6 })))).toEqual({ name: 'InvalidParameterException', status: 400 });
    expect(await errorOf(sm().send(new DeleteSecretCommand({ SecretId: 'plain', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })))).toEqual({
      name: 'InvalidParameterException',
      status: 400,
    });
    const out = await sm().send(new DeleteSecretCommand({ SecretId: 'plain', RecoveryWindowInDays: 10 }));
    const s = sim.state.region(REGION).secretsManager.secrets.get('plain')!;
    expect(out.DeletionDate?.getTime()).toBe(s.deletedAt!.getTime() + 10 * DAY);
    expect((await sm().send(new DescribeSecretCommand({ SecretId: 'plain' }))).DeletedDate).toEqual(s.deletedAt);
    expect(await errorOf(sm().send(new DeleteSecretCommand({ SecretId: 'plain' })))).toEqual({ name: 'InvalidRequestException', status: 400 });
    expect(await errorOf(sm().send(new DeleteSecretCommand({ SecretId: 'primary' })))).toEqual({ name: 'InvalidRequestException', status: 400 });
    expect(await errorOf(sm().send(new DeleteSecretCommand({ SecretId: 'replica' })))).toEqual({ name: 'InvalidRequestException', status: 400 });
    await sm().send(new RestoreSecretCommand({ SecretId: 'plain' }));
    expect(s.deletedAt).toBeNull();
    expect((await sm().send(new ListSecretsCommand({}))).SecretList?.some((x) => x.Name === 'plain')).toBe(true);
  });

  it('a denied ListSecrets answers AccessDeniedException naming the action', async () => {
    sim.state.deny.add('secretsmanager:ListSecrets');
    try {
      expect(await errorOf(sm().send(new ListSecretsCommand({})))).toEqual({ name: 'AccessDeniedException', status: 400 });
      await expect(sm().send(new ListSecretsCommand({}))).rejects.toThrow(/secretsmanager:ListSecrets/);
    } finally {
      sim.state.deny.delete('secretsmanager:ListSecrets');
    }
  });
});
