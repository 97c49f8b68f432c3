import type { Kysely } from 'kysely';
import type { Database } from '../schema';

/** What AWS charges per Cost Explorer API request (each page of a result is one). */
export const CE_REQUEST_PRICE_USD = 0.01;

export interface CeRequestStats {
  /** Requests made today (UTC). */
  today: number;
  /** Requests over the last 30 UTC days, today included. */
  last30Days: number;
  total: number;
  /** total × $0.01. */
  costUsd: number;
}

function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Adds `requests` paid Cost Explorer requests to the account's count for the UTC day of `at`. */
export async function recordCeRequests(
  db: Kysely<Database>,
  accountId: string,
  requests: number,
  at: Date = new Date(),
): Promise<void> {
  if (!Number.isInteger(requests) || requests < 0) throw new Error(`invalid request count ${requests}`);
  if (requests === 0) return;
  await db
    .insertInto('ce_requests')
    .values({ account_id: accountId, day: utcDay(at), requests })
    .onConflict((oc) => oc.columns(['account_id', 'day']).doUpdateSet((eb) => ({ requests: eb('ce_requests.requests', '+', requests) })))
    .execute();
}

export async function getCeRequestStats(db: Kysely<Database>, accountId: string, now: Date = new Date()): Promise<CeRequestStats> {
  const today = utcDay(now);
  const since = utcDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 29)));
  const row = await db
    .selectFrom('ce_requests')
    .where('account_id', '=', accountId)
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('requests'), eb.lit(0)).as('total'),
      eb.fn
        .coalesce(eb.fn.sum<number>(eb.case().when('day', '=', today).then(eb.ref('requests')).else(0).end()), eb.lit(0))
        .as('today'),
      eb.fn
        .coalesce(
          eb.fn.sum<number>(eb.case().when(eb.and([eb('day', '>=', since), eb('day', '<=', today)])).then(eb.ref('requests')).else(0).end()),
          eb.lit(0),
        )
        .as('last30'),
    ])
    .executeTakeFirstOrThrow();
  const total = Number(row.total);
  // Integer cents, then dollars: 3 × 0.01 would otherwise print 0.030000000000000002.
  return { today: Number(row.today), last30Days: Number(row.last30), total, costUsd: (total * Math.round(CE_REQUEST_PRICE_USD * 100)) / 100 };
}
