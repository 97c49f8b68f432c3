/**
 * The recovery list (#22, "Add"): on the simulated sample account, a cleanup deletes an unattached volume with its
 * safety snapshot taken first and an idle RDS instance with its final snapshot; History → Recovery then lists both
 * copies with the ids AWS gave them, what each protects, "kept until you delete it", its monthly cost (the total on
 * top) and a link that opens the console page to restore it (through the app's allowlisted openExternal).
 */
import { test, expect } from './pages/fixtures';
import { ACCOUNT_ID } from './pages/sample-account';

const VOLUME = 'vol-0a100000000000011';
const DB = 'orders-db';
const money = (t: string | null): number => Number((t ?? '').replace(/[^0-9.]/g, ''));

test('copies kept by a cleanup are listed with cost, retention and a restore link', async ({ app, ui, page }) => {
  test.setTimeout(180_000);
  // Tall while selecting (the findings table renders only the rows in view).
  await page.setViewportSize({ width: 1440, height: 4600 });

  await test.step('before any cleanup: an empty Recovery tab that says what will be there', async () => {
    await ui.scanSampleAccountToFindings();
    await ui.goto('history');
    await page.getByTestId('tab-recovery').click();
    await expect(page.getByTestId('recovery-empty')).toContainText('Nothing to restore yet');
    await expect(page.getByTestId('recovery-empty')).toContainText('final snapshot of a database');
  });

  await test.step('clean up the volume (snapshot first) and the idle database (final snapshot)', async () => {
    await ui.goto('findings');
    for (const id of [VOLUME, DB]) await page.getByRole('checkbox', { name: `Select ${id}` }).check();
    await page.getByTestId('delete-selected').click();
    const modal = page.getByRole('dialog', { name: 'Clean up selected resources' });
    await expect(modal.getByTestId('snapshot-volumes')).toBeChecked();
    await expect(modal.locator(`[data-testid="plan-item"][data-resource-id="${DB}"]`).getByTestId('item-action-choice')).toHaveAttribute('data-action', 'delete');
    await ui.dryRunThenExecute(modal, 2, ACCOUNT_ID);
    await page.getByTestId('close-cleanup').click();
  });

  // A small laptop screen for reading the list.
  await page.setViewportSize({ width: 1024, height: 700 });
  const points = page.getByTestId('recovery-point');
  const ebs = points.and(page.locator('[data-kind="ebs-snapshot"]'));
  const rds = points.and(page.locator('[data-kind="rds-snapshot"]'));
  await test.step('History → Recovery: both copies, with their ids, what they protect, retention and cost', async () => {
    await ui.goto('history');
    await page.getByTestId('tab-recovery').click();
    await expect(points).toHaveCount(2);
    await expect(ebs.getByTestId('recovery-kind')).toHaveText('EBS snapshot');
    await expect(ebs.getByTestId('recovery-id')).toHaveText(/^snap-[0-9a-f]+$/);
    await expect(ebs.getByTestId('recovery-resource-id')).toHaveText(VOLUME);
    await expect(rds.getByTestId('recovery-kind')).toHaveText('RDS DB snapshot');
    await expect(rds.getByTestId('recovery-id')).toHaveText(/^cloud-cleaner-final-orders-db-\w+$/);
    await expect(rds.getByTestId('recovery-resource-id')).toHaveText(DB);
    for (const row of [ebs, rds]) {
      await expect(row.getByTestId('recovery-retention')).toHaveText('Kept until you delete it: it bills every month');
      await expect(row.getByTestId('recovery-resource-kept')).toHaveCount(0);
    }
    // The safety snapshot as the plan priced it: the volume's 50 GiB × $0.05 (an upper bound).
    await expect(ebs.getByTestId('recovery-cost')).toHaveText('$2.50');
    await expect(rds.getByTestId('recovery-cost')).toHaveText(/^\$\d+\.\d\d$/);
    const total = money(await ebs.getByTestId('recovery-cost').textContent()) + money(await rds.getByTestId('recovery-cost').textContent());
    await expect(page.getByTestId('recovery-summary')).toHaveText(
      `These 2 copies cost $${total.toFixed(2)}/month; delete them in the console when you no longer need them.`,
    );
  });

  await test.step('the ids are those the simulated account holds', async () => {
    const snap = (await ebs.getByTestId('recovery-id').textContent()) ?? '';
    expect(await app.command('resource', { region: 'us-east-1', kind: 'snapshot', id: snap })).toBe('present');
    const dbSnapshots = (await app.command('resource', { region: 'us-east-1', kind: 'db-snapshots', id: DB })) as string[];
    expect(dbSnapshots).toContain((await rds.getByTestId('recovery-id').textContent()) ?? '');
  });

  await test.step('"Restore in console" opens the restore page of each, in its region', async () => {
    const snap = (await ebs.getByTestId('recovery-id').textContent()) ?? '';
    const final = (await rds.getByTestId('recovery-id').textContent()) ?? '';
    await ebs.getByTestId('recovery-restore').click();
    await rds.getByTestId('recovery-restore').click();
    await expect
      .poll(async () => (await app.command('opened')) as string[])
      .toEqual([
        `https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#SnapshotDetails:snapshotId=${snap}`,
        `https://us-east-1.console.aws.amazon.com/rds/home?region=us-east-1#db-snapshot:id=${final}`,
      ]);
    // Nothing is cut at 1024 px: the restore button is on screen without scrolling sideways.
    const box = await rds.getByTestId('recovery-restore').boundingBox();
    expect(box !== null && box.x + box.width <= 1024).toBe(true);
  });
});
