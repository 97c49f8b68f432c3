import type { Kysely } from 'kysely';
import type { AccountDto } from '../../../shared/dto/aws';
import type { AccountRow, Database } from '../schema';

export type { AccountDto };

export function toAccountDto(r: AccountRow): AccountDto {
  return {
    id: r.id,
    alias: r.alias,
    partition: r.partition,
    arn: r.arn,
    lastProfile: r.last_profile,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
  };
}

/** Records the account behind a profile (first seen kept, last seen and last profile updated). */
export async function upsertAccount(
  db: Kysely<Database>,
  a: { id: string; alias: string | null; partition: string; arn: string | null; profile: string | null },
  now = new Date().toISOString(),
): Promise<AccountDto> {
  await db
    .insertInto('accounts')
    .values({
      id: a.id,
      alias: a.alias,
      partition: a.partition,
      arn: a.arn,
      last_profile: a.profile,
      first_seen: now,
      last_seen: now,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        alias: a.alias,
        partition: a.partition,
        arn: a.arn,
        last_profile: a.profile,
        last_seen: now,
      }),
    )
    .execute();
  const row = await db.selectFrom('accounts').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
  return toAccountDto(row);
}

export async function getAccount(db: Kysely<Database>, id: string): Promise<AccountDto | null> {
  const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAccountDto(row) : null;
}

export async function listAccounts(db: Kysely<Database>): Promise<AccountDto[]> {
  const rows = await db.selectFrom('accounts').selectAll().orderBy('last_seen', 'desc').execute();
  return rows.map(toAccountDto);
}
