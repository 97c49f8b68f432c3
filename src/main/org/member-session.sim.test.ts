/**
 * A member account's session during a long scan (issue #20): the assumed role is renewed before it expires, once for
 * every client, so the scan never runs on an expired session. The clock is moved forward (Date.now, which the SDK's
 * credential cache, the provider and the in-process simulator all read) instead of waiting 15 minutes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SAMPLE_ORGANIZATION, startSimulator, type Simulator } from '../../../e2e/aws-sim/index';
import { openAccountSession } from '../app/account-session';
import { openMemoryDatabase } from '../db/database';
import { createBundledPriceBook } from '../pricing/price-book';
import { priceKeysOf } from '../handlers/registry';
import { DEFAULT_SCAN_SETTINGS, runScan } from '../scan/scanner';
import { useProfileFiles, type ProfileEnv } from '../test-support/profile-env';
import { openMemberSession } from './member-session';

let sim: Simulator;
let env: ProfileEnv;

beforeAll(async () => {
  sim = await startSimulator({ faults: { latencyMs: 15 } });
  env = useProfileFiles({
    config: `[profile org]\nregion = us-east-1\nendpoint_url = ${sim.endpoint}\n`,
    credentials: '[org]\naws_access_key_id = AKIDSIMTEST\naws_secret_access_key = sim-secret\n',
  });
});
afterAll(async () => {
  await sim.close();
  env.restore();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('a member session in a long scan', () => {
  it('is renewed before it expires: the scan goes on across the old session’s end, with one new AssumeRole for every client', async () => {
    const db = await openMemoryDatabase();
    const home = await openAccountSession({ db, profile: 'org' });
    const prod = SAMPLE_ORGANIZATION.members.find((m) => m.access === 'ok')!;
    // 15 minutes, AWS's shortest session.
    const member = await openMemberSession({ db, home, accountId: prod.accountId, roleName: SAMPLE_ORGANIZATION.roleName, durationSeconds: 900 });
    expect(member.credentials.sessionsIssued()).toBe(1);

    const realNow = Date.now.bind(Date);
    let offsetMs = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + offsetMs);
    let tasksDone = 0;
    let moved = 0;
    let issuedBeforeOldEnded = 0;
    const scan = runScan(
      {
        db,
        accountId: member.account.id,
        clients: member.clients,
        costExplorer: () => member.clients.costExplorer(),
        homeRegion: 'us-east-1',
        registry: member.registry,
        prices: createBundledPriceBook(priceKeysOf(member.registry)),
        settings: { ...DEFAULT_SCAN_SETTINGS, concurrency: 4, perRegionConcurrency: 2, stoppedInstanceDays: 30, protectionTagKey: 'cloud-cleaner:keep' },
        emit: (ev) => {
          if (ev.task?.status !== 'done') return;
          tasksDone++;
          // Early in the scan: 11 minutes pass (4 left on the session, inside the renewal margin).
          if (tasksDone === 3) {
            offsetMs += 11 * 60_000;
            moved++;
          }
          // Later: 4.5 more minutes; the first session ended 30 seconds ago (the simulator refuses it: ExpiredToken).
          if (tasksDone === 12) {
            issuedBeforeOldEnded = member.credentials.sessionsIssued();
            offsetMs += 4.5 * 60_000;
            moved++;
          }
        },
      },
      { regions: ['us-east-1', 'eu-west-1'], skipDiscovery: true },
    );
    const out = await scan;
    expect(moved).toBe(2);
    // Renewed while the first session still had minutes left, not when a call found it expired.
    expect(issuedBeforeOldEnded).toBe(2);
    expect(out.tasksTotal).toBeGreaterThan(12);
    expect(out.failures).toEqual([]);
    expect(out.status).toBe('succeeded');
    // One renewal, shared by every client of the member (not one per client).
    expect(member.credentials.sessionsIssued()).toBe(2);
    const issued = sim.state.assumeRoleRequests.filter((r) => r.roleArn?.includes(prod.accountId) && r.outcome === 'ok');
    expect(issued).toHaveLength(2);
    member.close();
    home.close();
    await db.close();
  }, 60_000);
});
