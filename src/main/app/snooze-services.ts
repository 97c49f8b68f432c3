/** The services behind the snooze channels (src/shared/ipc/channels-snooze.ts), spread into createAppServices. */
import { SNOOZE_MAX_DAYS, type SnoozeSetInput, type SnoozeSetResultDto } from '../../shared/dto/snooze';
import { AppError } from '../../shared/errors';
import type { AppDb } from '../db/store';
import { getResourcesByIds } from '../db/repos/resources';
import { listSnoozes, removeSnooze, setFindingSnoozes, setTagSnooze } from '../db/repos/snoozes';
import type { AppServices } from '../ipc/app-services';
import type { AppState } from './app-state';

export type SnoozeServices = Pick<AppServices, 'snoozeSet' | 'snoozeList' | 'snoozeRemove'>;

const DAY_MS = 86_400_000;

/** A snooze's end as stored (UTC ISO, so SQL compares it as text), or a validation error: in the past, or too far. */
export function snoozeUntil(until: string | null, now: Date): string | null {
  if (until === null) return null;
  const t = Date.parse(until);
  if (!Number.isFinite(t)) throw new AppError('validation', `Not a date: ${until}`);
  if (t <= now.getTime()) throw new AppError('validation', 'The end of an ignore must be in the future (or choose "for good").');
  if (t > now.getTime() + SNOOZE_MAX_DAYS * DAY_MS) {
    throw new AppError('validation', `An ignore with an end lasts at most ${SNOOZE_MAX_DAYS / 365} years; choose "for good" instead.`);
  }
  return new Date(t).toISOString();
}

/** Sets a snooze (per finding, by its identity, or per tag) for the account; replaces the one there was. */
export async function setSnooze(db: AppDb, accountId: string, input: SnoozeSetInput, now: Date): Promise<SnoozeSetResultDto> {
  const until = snoozeUntil(input.until, now);
  const values = { reason: input.reason.trim(), until, now };
  let ids: number[];
  if (input.scope === 'finding') {
    const wanted = [...new Set(input.findingIds)];
    const rows = await getResourcesByIds(db.db, accountId, wanted);
    const found = new Set(rows.map((r) => r.id));
    const missing = wanted.filter((id) => !found.has(id));
    // Another account's finding reads the same as a missing one.
    if (missing.length > 0) throw new AppError('not_found', `Not a finding of this account: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`);
    ids = await setFindingSnoozes(db.db, accountId, rows, values);
  } else {
    ids = [await setTagSnooze(db.db, accountId, { key: input.tagKey, value: input.tagValue }, values)];
  }
  const snoozes = await listSnoozes(db.db, accountId, now, ids);
  return { snoozes, findings: snoozes.reduce((n, s) => n + s.findings, 0) };
}

export function snoozeServices(st: AppState, clock: () => Date = () => new Date()): SnoozeServices {
  const { db } = st;
  return {
    async snoozeSet(input) {
      const s = st.requireSession();
      return setSnooze(db, s.account.id, input, clock());
    },

    async snoozeList() {
      const s = st.requireSession();
      return listSnoozes(db.db, s.account.id, clock());
    },

    async snoozeRemove({ id }) {
      const s = st.requireSession();
      if (!(await removeSnooze(db.db, s.account.id, id))) throw new AppError('not_found', `No ignore ${id} in this account.`);
    },
  };
}
