import { beforeEach, expect, it } from 'vitest';
import type { KindSettingDto } from '../../shared/dto/kinds';
import { getAllSettings, setSetting } from '../db/repos/settings';
import type { AppDb } from '../db/store';
import { describeEachDialect } from '../test-support/dialects';
import { DEFAULT_SETTINGS, loadHandlerSettings, loadSettings, loadSettingsWithKinds, updateSettings } from './settings';

const IDLE_DAYS: KindSettingDto = { key: 'widgetIdleDays', label: 'Idle days', description: 'Days idle', type: 'integer', default: 14, min: 1, max: 90 };

describeEachDialect('app settings', (store) => {
  let h: AppDb;
  beforeEach(async () => {
    h = await store.open();
  });

  it('defaults first; a stored value that no longer validates falls back to its default', async () => {
    expect(await loadSettings(h)).toEqual(DEFAULT_SETTINGS);
    await setSetting(h.db, 'lookbackDays', 7);
    await setSetting(h.db, 'scanConcurrency', 'many');
    expect(await loadSettings(h)).toEqual({ ...DEFAULT_SETTINGS, lookbackDays: 7 });
  });

  it('stores a valid update and a kind setting in range; refuses the rest and stores nothing of it', async () => {
    expect(await updateSettings(h, { lookbackDays: 60, widgetIdleDays: 30 }, [IDLE_DAYS])).toMatchObject({ lookbackDays: 60, widgetIdleDays: 30 });
    await expect(updateSettings(h, { lookbackDays: 10, widgetIdleDays: 91 }, [IDLE_DAYS])).rejects.toMatchObject({ code: 'validation' });
    await expect(updateSettings(h, { lookbackDays: 10, unknownThing: 1 }, [IDLE_DAYS])).rejects.toMatchObject({ code: 'validation' });
    expect(await getAllSettings(h.db)).toEqual({ lookbackDays: 60, widgetIdleDays: 30 });
    expect(await loadSettingsWithKinds(h, [IDLE_DAYS])).toMatchObject({ lookbackDays: 60, widgetIdleDays: 30 });
    expect((await loadHandlerSettings(h, [IDLE_DAYS])).kinds).toEqual({ widgetIdleDays: 30 });
    expect((await loadHandlerSettings(h, [{ ...IDLE_DAYS, key: 'otherDays' }])).kinds).toEqual({ otherDays: 14 });
  });
});
