import { beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects';
import type { AppDb } from '../store';
import { getAllSettings, getSetting, setSetting } from './settings';

describeEachDialect('settings', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
  });

  it('stores JSON values by key, replacing on a second write', async () => {
    expect(await getSetting(h.db, 'theme')).toBeUndefined();
    await setSetting(h.db, 'theme', 'dark');
    await setSetting(h.db, 'lookbackDays', 30);
    await setSetting(h.db, 'nested', { a: [1, 'two', null], b: true });
    await setSetting(h.db, 'theme', 'light');
    expect(await getSetting(h.db, 'theme')).toBe('light');
    expect(await getAllSettings(h.db)).toEqual({ theme: 'light', lookbackDays: 30, nested: { a: [1, 'two', null], b: true } });
  });
});
