/**
 * `npm run sim [-- --fixture <file>] [-- --port N] [-- --latency MS] [-- --throttle-rate 0.1] [-- --seed N] [-- --no-organization]`:
 * starts the simulator and prints, FIRST, the line `endpoint=http://127.0.0.1:PORT` (scripts parse it), then an AWS
 * config snippet and the organization's accounts. Runs until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { loadFixture, ORGANIZATION_ACCESS_ROLE, startSimulator } from './index';
import type { Simulator } from './index';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      fixture: { type: 'string' },
      port: { type: 'string' },
      latency: { type: 'string' },
      'throttle-rate': { type: 'string' },
      seed: { type: 'string' },
      'no-organization': { type: 'boolean' },
    },
    allowPositionals: false,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${values.port}`);
  const fixture = values.fixture ? await loadFixture(values.fixture) : undefined;
  const faults = {
    ...(values.latency ? { latencyMs: Number(values.latency) } : {}),
    ...(values['throttle-rate'] ? { throttleRate: Number(values['throttle-rate']) } : {}),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
  };
  for (const [k, v] of Object.entries(faults)) if (!Number.isFinite(v) || v < 0) throw new Error(`--${k} must be a number, got ${String(v)}`);
  const sim = await startSimulator({ fixture, port, faults, ...(values['no-organization'] ? { organization: false as const } : {}) });
  const region = sim.state.regionInfo[0]?.name ?? 'us-east-1';
  process.stdout.write(
    [
      `endpoint=${sim.endpoint}`,
      '',
      `# AWS simulator for account ${sim.state.accountId}${sim.state.alias ? ` (${sim.state.alias})` : ''}.`,
      '# Add to ~/.aws/config (or a file named by AWS_CONFIG_FILE):',
      '[profile cloud-cleaner-sim]',
      `region = ${region}`,
      `endpoint_url = ${sim.endpoint}`,
      '# The simulator accepts any credentials; static test keys (not real):',
      'aws_access_key_id = AKIDSIM',
      'aws_secret_access_key = sim-secret',
      '',
      '# Or for one shell: AWS_PROFILE=cloud-cleaner-sim, or',
      `#   AWS_ENDPOINT_URL=${sim.endpoint} AWS_ACCESS_KEY_ID=AKIDSIM AWS_SECRET_ACCESS_KEY=sim-secret AWS_REGION=${region}`,
      ...organizationLines(sim),
      '# Ctrl-C stops the simulator.',
      '',
    ].join('\n'),
  );
  // Started by a parent with an IPC channel (bench:scan): it may ask for the requests counted so far.
  if (process.send) {
    process.on('message', (m: { type?: string }) => {
      if (m?.type === 'counts') process.send!({ type: 'counts', counts: sim.counts() });
    });
    process.channel?.unref();
  }
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** The organization's accounts, as comments: who is reachable with the profile's keys and how. */
function organizationLines(sim: Simulator): string[] {
  const org = sim.organization;
  if (!org) return [];
  const lines = ['', `# Organization ${org.id}, managed by this account. Its accounts (role ${ORGANIZATION_ACCESS_ROLE}):`];
  for (const a of org.accounts) {
    let access = 'management account (this profile)';
    if (a.accountId !== org.managementAccountId) {
      const role = a.account?.roles?.get(`arn:aws:iam::${a.accountId}:role/${ORGANIZATION_ACCESS_ROLE}`);
      if (a.status === 'SUSPENDED') access = 'suspended: cannot be reached';
      else if (!role) access = 'no role: AssumeRole is refused';
      else access = role.requireMfa ? `role requires MFA (code ${sim.state.mfaCode})` : 'role assumable';
    }
    lines.push(`#   ${a.accountId}  ${a.name.padEnd(14)} ${a.status.padEnd(9)} ${access}`);
  }
  lines.push('');
  return lines;
}

main().catch((e: unknown) => {
  process.stderr.write(`aws-sim: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
