import { describe, expect, it } from 'vitest';
import type { KindDetailFieldDto } from '../../../shared/dto/kinds';
import { detailRows, formatDetailValue } from './detail-fields';
import { formatAbsolute } from './format';

const FIELDS: KindDetailFieldDto[] = [
  { key: 'size', label: 'Size', unit: 'GiB' },
  { key: 'iops', label: 'IOPS', unit: 'IOPS', format: 'text' },
  { key: 'encrypted', label: 'Encrypted', format: 'boolean' },
  { key: 'stoppedAt', label: 'Stopped at', format: 'datetime' },
  { key: 'zones', label: 'Zones', format: 'list' },
  { key: 'kind', label: 'Volume type' },
];

describe('detailRows', () => {
  it('labels each declared value with its unit, in the declared order', () => {
    const rows = detailRows(FIELDS, { size: 100, iops: 3000, encrypted: false, stoppedAt: '2024-03-01T10:00:00Z', zones: ['eu-west-1a', 'eu-west-1b'], kind: 'gp3', extra: 'not shown' });
    expect(rows.map((r) => [r.label, r.text])).toEqual([
      ['Size', '100 GiB'],
      ['IOPS', '3,000 IOPS'],
      ['Encrypted', 'No'],
      ['Stopped at', formatAbsolute('2024-03-01T10:00:00Z')],
      ['Zones', 'eu-west-1a, eu-west-1b'],
      ['Volume type', 'gp3'],
    ]);
    expect(rows.every((r) => !r.unknown)).toBe(true);
  });
  it('says "unknown" for a missing value: never blank, never 0, no unit', () => {
    const rows = detailRows(FIELDS, { size: null, iops: '', stoppedAt: undefined });
    expect(rows.map((r) => r.text)).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
    expect(rows.every((r) => r.unknown)).toBe(true);
  });
  it('shows a real 0 and false', () => {
    const [size, , encrypted] = detailRows(FIELDS, { size: 0, encrypted: false });
    expect(size?.text).toBe('0 GiB');
    expect(encrypted?.text).toBe('No');
  });
  it("a stored null reads as the kind's emptyText where it declares one; a missing key stays unknown", () => {
    const fields = [{ key: 'instanceId', label: 'Associated instance', emptyText: 'none' }];
    expect(detailRows(fields, { instanceId: null })[0]).toMatchObject({ text: 'none', unknown: false });
    expect(detailRows(fields, {})[0]).toMatchObject({ text: 'unknown', unknown: true });
    expect(detailRows([{ key: 'instanceId', label: 'x' }], { instanceId: null })[0]?.text).toBe('unknown');
  });
  it('reads no inherited property as a value', () => {
    expect(detailRows([{ key: 'toString', label: 'x' }], {})[0]?.text).toBe('unknown');
  });
});

describe('formatDetailValue', () => {
  it('boolean: Yes / No', () => {
    expect(formatDetailValue({ format: 'boolean' }, true)).toBe('Yes');
    expect(formatDetailValue({ format: 'boolean' }, 'false')).toBe('No');
  });
  it('datetime: the app date format; an unparsable value as it is', () => {
    expect(formatDetailValue({ format: 'datetime' }, '2024-01-02T03:04:05Z')).toBe(formatAbsolute('2024-01-02T03:04:05Z'));
    expect(formatDetailValue({ format: 'datetime' }, 'soon')).toBe('soon');
  });
  it('list: comma-separated, an empty list is "none"', () => {
    expect(formatDetailValue({ format: 'list' }, ['a', 'b', null])).toBe('a, b');
    expect(formatDetailValue({ format: 'list' }, [])).toBe('none');
    expect(formatDetailValue({ format: 'list' }, 'single')).toBe('single');
  });
  it('text: strings as they are, numbers grouped, objects as JSON; missing is null', () => {
    expect(formatDetailValue({}, 'gp3')).toBe('gp3');
    expect(formatDetailValue({ format: 'text' }, 16384)).toBe('16,384');
    expect(formatDetailValue({}, { a: 1 })).toBe('{"a":1}');
    expect(formatDetailValue({}, null)).toBeNull();
    expect(formatDetailValue({}, Number.NaN)).toBeNull();
  });
});
