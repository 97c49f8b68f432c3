/** TEST-ONLY: synthetic findings written through the app's own ResourceWriter (the path a scan takes). */
import type BetterSqlite3 from 'better-sqlite3';
import { ResourceWriter } from '../../src/main/db/repos/resources';
import type { Finding } from '../../src/main/handlers/handler';
import { syntheticFinding } from './synthetic-findings';

export function seedFindings(sqlite: BetterSqlite3.Database, accountId: string, n: number): void {
  const writer = new ResourceWriter(sqlite, accountId, () => 'AmazonEC2');
  const batch: Finding[] = [];
  for (let i = 0; i < n; i++) {
    batch.push(syntheticFinding(i));
    if (batch.length === 5000) writer.write(batch.splice(0), null);
  }
  writer.write(batch, null);
}
