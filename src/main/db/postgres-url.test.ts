/** A PostgreSQL address that cannot be used is refused before any connection, and its secrets never show. */
import { expect, it } from 'vitest';
import { openPostgres } from './postgres';

it('a password given as a parameter (libpq accepts one) is masked in the refusal, like one in the user part', async () => {
  const refused = openPostgres({ url: 'postgres://app:in-user-s3cret@127.0.0.1:1/cc?password=in-query-s3cret&sslmode=disable' });
  await expect(refused).rejects.toMatchObject({ code: 'db.config' });
  const e = (await refused.then(
    () => ({ message: 'opened', details: null }),
    (x: unknown) => x as { message: string; details?: unknown },
  ));
  const text = `${e.message} ${JSON.stringify(e.details)}`;
  expect(text).not.toContain('s3cret');
  expect(text).toContain('password');
});
