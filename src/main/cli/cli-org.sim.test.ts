/** `cloud-cleaner scan --all-accounts` against the simulator's sample organization (issue #20). */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_ORGANIZATION, startSimulator, type Simulator } from '../../../e2e/aws-sim/index';
import { useProfileFiles, type ProfileEnv } from '../test-support/profile-env';
import { runCli } from './main';

let sim: Simulator;
let env: ProfileEnv;
const REGIONS = 'us-east-1,eu-west-1';
const byAccess = (access: string) => SAMPLE_ORGANIZATION.members.filter((m) => m.access === access);

beforeAll(async () => {
  sim = await startSimulator();
  env = useProfileFiles({
    config: `[profile sim]\nregion = us-east-1\nendpoint_url = ${sim.endpoint}\n`,
    credentials: '[sim]\naws_access_key_id = AKIDCLITEST\naws_secret_access_key = cli-secret-not-real\n',
  });
});
afterAll(async () => {
  await sim.close();
  env.restore();
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

interface AllJson {
  home: { accountId: string };
  status: string;
  costExplorer: { organizationRequests: number };
  accounts: { accountId: string; name: string | null; status: string; error: { code: string; message: string } | null; findings: { resourceId: string }[] }[];
}

describe('cloud-cleaner scan --all-accounts', () => {
  it('scans the organization from one profile, prints every account, and exits 3 when some account failed', async () => {
    const r = await cli(['scan', '--profile', 'sim', '--all-accounts', '--regions', REGIONS, '--db', path.join(env.dir, 'all.db'), '--json']);
    expect(r.code).toBe(3);
    const j = JSON.parse(r.out) as AllJson;
    expect(j.home.accountId).toBe(SAMPLE_ORGANIZATION.managementAccountId);
    const active = SAMPLE_ORGANIZATION.members.filter((m) => m.status === 'ACTIVE');
    expect(j.accounts.map((a) => a.accountId).sort()).toEqual([SAMPLE_ORGANIZATION.managementAccountId, ...active.map((m) => m.accountId)].sort());
    for (const m of byAccess('ok')) {
      const a = j.accounts.find((x) => x.accountId === m.accountId)!;
      expect(a).toMatchObject({ name: m.name, status: 'succeeded', error: null });
      const want = sim.unusedOf(m.accountId).filter((u) => REGIONS.split(',').includes(u.region)).map((u) => u.id).sort();
      expect(a.findings.map((f) => f.resourceId).sort()).toEqual(want);
    }
    const missing = j.accounts.find((x) => x.accountId === byAccess('missing-role')[0]!.accountId)!;
    expect(missing.status).toBe('failed');
    expect(missing.error?.message).toContain('OrganizationAccountAccessRole');
    expect(missing.findings).toEqual([]);
    expect(j.costExplorer.organizationRequests).toBe(1);
  }, 120_000);

  it('--accounts limits the run, --role names the role; exit 0 when all succeeded, 1 when none could be reached', async () => {
    const ok = byAccess('ok').map((m) => m.accountId);
    const r = await cli(['scan', '--profile', 'sim', '--all-accounts', '--accounts', ok.join(','), '--regions', REGIONS, '--db', path.join(env.dir, 'some.db'), '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as AllJson).accounts.map((a) => a.accountId).sort()).toEqual([...ok].sort());

    const bad = await cli(['scan', '--profile', 'sim', '--all-accounts', '--accounts', ok[0]!, '--role', 'NoSuchRole', '--regions', REGIONS, '--db', path.join(env.dir, 'bad.db')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(`role NoSuchRole in account ${ok[0]}`);
    expect(bad.out).toContain('failed');
  }, 120_000);

  it('usage errors: --role without --all-accounts, an account id that is not 12 digits', async () => {
    expect((await cli(['scan', '--profile', 'sim', '--role', 'X'])).code).toBe(2);
    const r = await cli(['scan', '--profile', 'sim', '--all-accounts', '--accounts', '12345']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('not a 12-digit account id: 12345');
  });
});
