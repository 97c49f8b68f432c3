/**
 * The final snapshot a database kind takes before deleting (ElastiCache, Redshift): its name, and the wait until it is
 * available.
 */
import type { DeleteContext } from './handler';

/**
 * `cloud-cleaner-final-<id>-<first 8 of the plan id>`: deterministic (a retried cleanup finds its own snapshot), and
 * within the identifier rules of ElastiCache, RDS and Redshift — letters, digits and hyphens, a letter first, no `--`,
 * no trailing hyphen, at most `max` characters.
 */
export function finalSnapshotName(resourceId: string, planId: string, max = 255): string {
  const raw = `cloud-cleaner-final-${resourceId}-${planId.slice(0, 8)}`.toLowerCase();
  return raw
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, max)
    .replace(/-+$/, '');
}

export type SnapshotWait = { kind: 'available' } | { kind: 'timeout' } | { kind: 'failed'; why: string };

/**
 * Polls `status()` (the snapshot's status, or null when it is not found) every `ctx.pollMs` (default 15 s) until it
 * is `available`, for at most `ctx.waitMs` (default one hour). A status in `failedStates`, or a snapshot that vanished,
 * fails. AWS errors are thrown.
 */
export async function waitForSnapshot(ctx: DeleteContext, status: () => Promise<string | null>, failedStates: readonly string[] = ['failed', 'deleted', 'deleting']): Promise<SnapshotWait> {
  const deadline = Date.now() + (ctx.waitMs ?? 3_600_000);
  for (;;) {
    const s = await status();
    if (s === 'available') return { kind: 'available' };
    if (s === null) return { kind: 'failed', why: 'the snapshot is not found' };
    if (failedStates.includes(s)) return { kind: 'failed', why: `the snapshot is ${s}` };
    if (Date.now() >= deadline) return { kind: 'timeout' };
    ctx.signal?.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(t);
        reject(Object.assign(new Error('The cleanup was cancelled.'), { name: 'AbortError' }));
      };
      const t = setTimeout(() => {
        ctx.signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ctx.pollMs ?? 15_000);
      ctx.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
