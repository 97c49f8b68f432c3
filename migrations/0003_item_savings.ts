import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect';

/**
 * 0003 — truthful savings. `monthly_savings` is what deleting the finding would stop billing: its own cost plus the
 * parts its delete removes with it (an instance's DeleteOnTermination volumes, an AMI's own snapshots), never the
 * parts that stay. NULL = unknown (a part could not be priced). Rows written before this migration get NULL and are
 * filled by the next scan. FROZEN (see migrations/index.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const d = dialectOf(db);
  await sql`ALTER TABLE resources ADD COLUMN monthly_savings ${d.real}`.execute(db);
}
