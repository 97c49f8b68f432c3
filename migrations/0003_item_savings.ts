import { sql, type Kysely } from 'kysely';

/**
 * 0003 — truthful savings. `monthly_savings` is what deleting the finding would stop billing: its own cost plus the
 * parts its delete removes with it (an instance's DeleteOnTermination volumes, an AMI's own snapshots), never the
 * parts that stay. NULL = unknown (a part could not be priced). Rows written before this migration get NULL and are
 * filled by the next scan. FROZEN once landed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE resources ADD COLUMN monthly_savings REAL`.execute(db);
}
