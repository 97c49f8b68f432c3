/**
 * TEST-ONLY: starts app-host.ts in its own process (tsx) and talks to it: the URL to open, and commands that act
 * on the simulated account behind the app's back (faults, changes, "is it gone?").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { HostOptions } from './app-host';

export interface AppProcess {
  url: string;
  endpoint: string;
  accountId: string;
  command<T = unknown>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

export async function startAppProcess(opts: HostOptions = {}): Promise<AppProcess> {
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(__dirname, 'app-host.ts'), JSON.stringify(opts)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    // NODE_NO_WARNINGS: the SDK's "upgrade to Node 22" notice, printed by every host, drowns the test output.
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', NODE_NO_WARNINGS: '1' },
  });
  child.stdin?.on('error', () => undefined); // EPIPE after the host exited: close() handles that case
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[app-host] ${d.toString()}`));
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;

  const ready = new Promise<{ url: string; endpoint: string; accountId: string }>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      if (line.startsWith('READY ')) resolve(JSON.parse(line.slice(6)) as { url: string; endpoint: string; accountId: string });
      else if (line.startsWith('RES ')) {
        const r = JSON.parse(line.slice(4)) as { id: number; ok: boolean; value?: unknown; error?: string };
        const p = pending.get(r.id);
        pending.delete(r.id);
        if (r.ok) p?.resolve(r.value);
        else p?.reject(new Error(r.error));
      } else process.stdout.write(`[app-host] ${line}\n`);
    });
    child.once('exit', (code) => reject(new Error(`app-host exited with ${String(code)} before it was ready`)));
  });
  const info = await ready;

  const command = <T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.stdin!.write(`${JSON.stringify({ id, cmd, args })}\n`);
    });

  return {
    ...info,
    command,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const within = (ms: number): Promise<void> => Promise.race([exited, new Promise<void>((r) => setTimeout(r, ms).unref())]);
      // A host that does not answer must never hang the test's teardown (nor stay behind for the next spec).
      void command('close').catch(() => undefined);
      await within(5000);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await within(2000);
      }
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await within(2000);
      }
      for (const p of pending.values()) p.reject(new Error('app-host closed'));
      pending.clear();
    },
  };
}
