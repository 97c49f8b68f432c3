/**
 * Issue #21: a team store chosen in Settings, through the browser harness (the same main-side services as the app,
 * a real PostgreSQL started by the host, a TEST-ONLY keychain in place of safeStorage). Tested before it can be saved;
 * saved for the next start with its password only in encrypted form; a wrong password named as such, never shown.
 */
import type { CloudCleanerApi } from '../src/shared/ipc/contract';
import { test, expect } from './pages/fixtures';

test('a team store is tested, then saved for the next start without its password in clear', async ({ ui, page, app }) => {
  const url = await app.command<string>('freshTeamStoreDatabase');
  const password = decodeURIComponent(new URL(url).password);
  expect(password.length).toBeGreaterThan(6);
  const database = decodeURIComponent(new URL(url).pathname.slice(1));

  await ui.goto('settings');
  const section = page.getByTestId('team-store');
  await expect(section.getByTestId('team-store-current')).toContainText('Local database');
  await expect(section.getByTestId('team-store-saved')).toContainText('Local database');
  const save = section.getByTestId('team-store-save');
  await expect(save).toBeDisabled();
  // On the local database with no team store saved: nothing to upload into.
  await expect(section.getByTestId('upload-history')).toHaveCount(0);

  // A wrong password: the server's refusal, in words; Save stays disabled; the password is nowhere on the page.
  const wrong = new URL(url);
  wrong.password = 'Not-The-Password-42';
  await section.getByTestId('team-store-url').fill(wrong.toString());
  await expect(section.getByTestId('team-store-url-shown')).toContainText(':***@');
  await section.getByTestId('team-store-test').click();
  const refused = section.locator('[data-error-code="db.auth"]');
  await expect(refused).toBeVisible({ timeout: 15_000 });
  await expect(refused).toContainText('refused the password of user');
  await expect(save).toBeDisabled();
  expect(await section.getByTestId('team-store-url-shown').textContent()).not.toContain('Not-The-Password-42');
  await expect(refused).not.toContainText('Not-The-Password-42');

  // The right URL: an empty database, to be set up; Save enabled for exactly that URL.
  await section.getByTestId('team-store-url').fill(url);
  await expect(save).toBeDisabled();
  await section.getByTestId('team-store-test').click();
  const state = section.getByTestId('team-store-state');
  await expect(state).toHaveAttribute('data-state', 'empty', { timeout: 15_000 });
  await expect(state).toContainText('Empty database: it will be set up');
  await expect(state).toContainText(`database "${database}"`);
  await expect(save).toBeEnabled();
  // Any change to the typed URL asks for a new test.
  await section.getByTestId('team-store-url').fill(`${url}?connect_timeout=5`);
  await expect(save).toBeDisabled();
  // Back to exactly the URL tested: that test holds.
  await section.getByTestId('team-store-url').fill(url);
  await expect(save).toBeEnabled();

  await save.click();
  await expect(section.getByTestId('team-store-done')).toContainText('Restart Cloud Cleaner to switch.');
  await expect(section.getByTestId('team-store-saved')).toHaveText(new RegExp(`^PostgreSQL database "${database}" on 127\\.0\\.0\\.1:\\d+$`));
  await expect(section.getByTestId('team-store-current')).toContainText('Local database');
  await expect(section.getByTestId('team-store-restart')).toBeVisible();
  // Saved but not in use yet: "Upload my history" waits for the restart.
  await expect(section.getByTestId('upload-history')).toContainText('Restart on the team store to upload your local history into it.');
  await expect(section.getByTestId('upload-history-button')).toBeDisabled();
  await expect(section.getByTestId('team-store-saved-url')).not.toContainText(password);
  await expect(section).not.toContainText(password);

  // On disk: the URL without its password, the password only encrypted.
  const raw = await app.command<string | null>('teamStoreConfigText');
  expect(raw).not.toBeNull();
  expect(raw).not.toContain(password);
  expect(raw).not.toContain(encodeURIComponent(password));
  const saved = JSON.parse(raw!) as { url: string; encryptedPassword: string };
  expect(saved.url).toBe(url.replace(`:${new URL(url).password}@`, '@'));
  expect(saved.encryptedPassword.length).toBeGreaterThan(0);

  // store:get, through the renderer's own API: saved for the next start, no password.
  const info = await page.evaluate(() => (globalThis as unknown as { cloudCleaner: CloudCleanerApi }).cloudCleaner.store.get());
  expect(info.saved.kind).toBe('postgres');
  expect(info.restartNeeded).toBe(true);
  expect(JSON.stringify(info)).not.toContain(password);

  // Back to the local database.
  await section.getByTestId('team-store-use-local').click();
  await expect(section.getByTestId('team-store-saved')).toContainText('Local database');
  await expect(section.getByTestId('team-store-restart')).toHaveCount(0);
  expect(await app.command('teamStoreConfigText')).toBeNull();
});

test('an older team store lists its updates, says no backup is taken, and is saved only with "I have a backup"', async ({ ui, page, app }) => {
  const url = await app.command<string>('freshTeamStoreDatabase', { schema: 'older' });
  await ui.goto('settings');
  const section = page.getByTestId('team-store');
  await section.getByTestId('team-store-url').fill(url);
  await section.getByTestId('team-store-test').click();
  const state = section.getByTestId('team-store-state');
  await expect(state).toHaveAttribute('data-state', 'older', { timeout: 15_000 });
  await expect(state).toContainText('No backup is taken');
  await expect(section.getByTestId('team-store-pending').getByRole('listitem')).toHaveCount(1);
  const save = section.getByTestId('team-store-save');
  await expect(save).toBeDisabled();
  await section.getByTestId('team-store-confirm').check();
  await expect(save).toBeEnabled();
  await save.click();
  await expect(section.getByTestId('team-store-done')).toContainText('Its schema will be updated then (no backup is taken).');
  const saved = JSON.parse((await app.command<string>('teamStoreConfigText'))) as { confirmedMigrations: string[] };
  expect(saved.confirmedMigrations).toHaveLength(1);
});
