import { describe, expect, it } from 'vitest';
import type { ResourceKindDto } from '../../../shared/dto/kinds';
import { consoleHost, consoleUrl } from './console-url';
import { actionOf, findKind, kindConsoleUrl, kindLabel, kindNoun, kindSettingError, kindSettings, kindSettingValue, planInputOptions, planOptionOn, planOptionsFor, planActionsSummary, planOptionTestId, verificationLabel } from './kinds';

// Kinds defined here, not the app's: the renderer must work for any kind main declares.
const kind = (p: Partial<ResourceKindDto> & Pick<ResourceKindDto, 'type'>): ResourceKindDto => ({
  label: `Unused ${p.type}`,
  noun: p.type,
  category: 'Test',
  serviceCodes: [],
  consoleUrl: null,
  iam: { scan: [], action: [] },
  actionLabel: 'Delete',
  verification: { method: 'dry-run', description: '' },
  planOptions: [],
  settings: [],
  detailFields: [],
  actions: [{ id: 'delete', label: 'Delete', doneLabel: 'Deleted', description: 'Delete it', removes: true, iam: [] }],
  ...p,
});

const SNAPSHOT = { key: 'snapshotVolumes', label: 'Snapshot each widget first', description: 'A safety copy.' } as const;
const KINDS = [
  kind({
    type: 'acme:widget',
    label: 'Idle widgets',
    noun: 'Widget',
    consoleUrl: 'https://{host}/acme/home?region={region}#WidgetDetails:widgetId={id}',
    iam: { scan: ['acme:DescribeWidgets', 'acme:DescribeTags'], action: ['acme:DeleteWidget'] },
    planOptions: [SNAPSHOT],
  }),
  kind({ type: 'acme:gadget', label: 'Stopped gadgets', noun: 'Gadget', verification: { method: 'permission-check', description: 'IAM simulation' } }),
  kind({ type: 'acme:gizmo', planOptions: [{ ...SNAPSHOT, label: 'Second declaration' }] }),
];

describe('labels', () => {
  it("are the kind's noun and label", () => {
    expect(kindNoun(KINDS, 'acme:widget')).toBe('Widget');
    expect(kindLabel(KINDS, 'acme:gadget')).toBe('Stopped gadgets');
  });
  it('fall back to the raw type when the kind is unknown or the list is not loaded', () => {
    expect(kindNoun(KINDS, 'acme:unknown')).toBe('acme:unknown');
    expect(kindLabel([], 'acme:widget')).toBe('acme:widget');
    expect(findKind([], 'acme:widget')).toBeUndefined();
  });
  it('sees a new list (no stale index)', () => {
    const more = [...KINDS, kind({ type: 'acme:new', noun: 'New thing' })];
    expect(kindNoun(KINDS, 'acme:new')).toBe('acme:new');
    expect(kindNoun(more, 'acme:new')).toBe('New thing');
  });
});

describe('console URL', () => {
  it('uses the partition host', () => {
    expect(consoleHost('eu-west-1')).toBe('eu-west-1.console.aws.amazon.com');
    expect(consoleHost('cn-north-1')).toBe('console.amazonaws.cn');
    expect(consoleHost('us-gov-west-1')).toBe('console.amazonaws-us-gov.com');
  });
  it("fills the kind's template per partition", () => {
    expect(kindConsoleUrl(KINDS, 'acme:widget', 'eu-west-1', 'w-1')).toBe('https://eu-west-1.console.aws.amazon.com/acme/home?region=eu-west-1#WidgetDetails:widgetId=w-1');
    expect(kindConsoleUrl(KINDS, 'acme:widget', 'cn-northwest-1', 'w-1')).toBe('https://console.amazonaws.cn/acme/home?region=cn-northwest-1#WidgetDetails:widgetId=w-1');
    expect(kindConsoleUrl(KINDS, 'acme:widget', 'us-gov-east-1', 'w-1')).toBe('https://console.amazonaws-us-gov.com/acme/home?region=us-gov-east-1#WidgetDetails:widgetId=w-1');
  });
  it('URI-encodes the id and the region, and never expands a value twice', () => {
    expect(consoleUrl('https://{host}/x?region={region}#{id}', 'eu-west-1', 'a b/{id}&c')).toBe('https://eu-west-1.console.aws.amazon.com/x?region=eu-west-1#a%20b%2F%7Bid%7D%26c');
    expect(consoleUrl('https://console.example/x?r={region}', 'a&b=c', 'i')).toBe('https://console.example/x?r=a%26b%3Dc');
  });
  it('is null for a kind without a console page, or an unknown kind', () => {
    expect(kindConsoleUrl(KINDS, 'acme:gadget', 'eu-west-1', 'g-1')).toBeNull();
    expect(kindConsoleUrl(KINDS, 'acme:unknown', 'eu-west-1', 'x')).toBeNull();
    expect(kindConsoleUrl([], 'acme:widget', 'eu-west-1', 'w-1')).toBeNull();
  });
});

describe('plan options', () => {
  it("offers each option of the selected findings' kinds, once, first declaration first", () => {
    expect(planOptionsFor(KINDS, ['acme:gadget'])).toEqual([]);
    expect(planOptionsFor(KINDS, ['acme:gadget', 'acme:widget', 'acme:widget'])).toEqual([SNAPSHOT]);
    expect(planOptionsFor(KINDS, ['acme:gizmo', 'acme:widget']).map((o) => o.label)).toEqual(['Second declaration']);
    expect(planOptionsFor([], ['acme:widget'])).toEqual([]);
  });
  it('are on until the user turns them off', () => {
    expect(planOptionOn({}, 'snapshotVolumes')).toBe(true);
    expect(planOptionOn({ snapshotVolumes: false }, 'snapshotVolumes')).toBe(false);
    expect(planInputOptions({})).toEqual({ snapshotVolumes: true });
    expect(planInputOptions({ snapshotVolumes: false })).toEqual({ snapshotVolumes: false });
  });
  it('keep a stable test id', () => {
    expect(planOptionTestId('snapshotVolumes')).toBe('snapshot-volumes');
  });
});

describe('verification', () => {
  it('says a dry run only when the API has one', () => {
    expect(verificationLabel('dry-run')).toBe('dry run');
    expect(verificationLabel('permission-check')).toBe('checked (re-check + permission check)');
  });
});

describe('kind settings', () => {
  const AGE = { key: 'idleDays', label: 'Idle for at least', description: 'days', type: 'integer', default: 30, min: 1, max: 3650 } as const;
  const list = [kind({ type: 'acme:widget', settings: [AGE] }), kind({ type: 'acme:gadget' }), kind({ type: 'acme:gizmo', settings: [{ ...AGE, label: 'again' }] })];
  it("lists each kind's settings once, with the kind that declares it", () => {
    expect(kindSettings(list).map((f) => [f.kind.type, f.setting.label])).toEqual([['acme:widget', 'Idle for at least']]);
    expect(kindSettings([])).toEqual([]);
  });
  it('reads the stored value, else the default', () => {
    expect(kindSettingValue(AGE, { idleDays: 7 })).toBe(7);
    expect(kindSettingValue(AGE, {})).toBe(30);
    expect(kindSettingValue(AGE, { idleDays: 'x' })).toBe(30);
  });
  it('checks type and range', () => {
    expect(kindSettingError(AGE, 1)).toBeNull();
    expect(kindSettingError(AGE, 0)).toBe('Between 1 and 3650');
    expect(kindSettingError(AGE, 1.5)).toBe('Enter a whole number');
    expect(kindSettingError(AGE, Number.NaN)).toBe('Enter a number');
  });
});

describe('plan actions', () => {
  const DB = kind({
    type: 'acme:db',
    actions: [
      { id: 'delete', label: 'Delete, keep a final snapshot', doneLabel: 'Deleted', description: '', removes: true, iam: [] },
      { id: 'stop', label: 'Stop', doneLabel: 'Stopped', description: '', removes: false, iam: [] },
    ],
  });
  it('finds a kind’s action by id, and nothing for an unknown kind or action', () => {
    expect(actionOf([DB], 'acme:db', 'stop')?.doneLabel).toBe('Stopped');
    expect(actionOf([DB], 'acme:db', 'pause')).toBeUndefined();
    expect(actionOf([DB], 'acme:other', 'stop')).toBeUndefined();
  });
  it('summarises a plan by what its actions do', () => {
    const del = { action: 'delete', actionLabel: 'Delete', actionRemoves: true };
    const stop = { action: 'stop', actionLabel: 'Stop', actionRemoves: false };
    expect(planActionsSummary([del, del])).toBe('2 to delete');
    expect(planActionsSummary([del, stop, { ...del, action: 'delete-without-snapshot' }])).toBe('2 to delete, 1 to stop');
    expect(planActionsSummary([])).toBe('0 to delete');
    expect(planActionsSummary([stop, del, { ...stop, action: 'pause', actionLabel: 'Pause' }])).toBe('1 to delete, 1 to pause, 1 to stop');
  });
});
