/** A finding's `details` as the labelled values its kind declares (detailFields), for the drawer. Pure, no React. */
import type { KindDetailFieldDto } from '../../../shared/dto/kinds';
import { formatAbsolute, formatCount } from './format';

export interface DetailRow {
  key: string;
  label: string;
  /** The value with its unit, or "unknown". */
  text: string;
  unknown: boolean;
}

export const UNKNOWN = 'unknown';

function missing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (typeof v === 'number' && !Number.isFinite(v));
}

function plain(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatCount(v);
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (Array.isArray(v)) return v.map(plain).join(', ');
  return JSON.stringify(v);
}

/** One value as its field's format says; null when it is missing (the caller says "unknown", never blank or 0). */
export function formatDetailValue(field: Pick<KindDetailFieldDto, 'format'>, v: unknown): string | null {
  if (missing(v)) return null;
  switch (field.format ?? 'text') {
    case 'datetime': {
      if (typeof v !== 'string' && typeof v !== 'number') return plain(v);
      const d = new Date(v);
      return Number.isNaN(d.getTime()) ? String(v) : formatAbsolute(d.toISOString());
    }
    case 'boolean':
      if (typeof v === 'boolean') return v ? 'Yes' : 'No';
      if (v === 'true' || v === 'false') return v === 'true' ? 'Yes' : 'No';
      return plain(v);
    case 'list': {
      if (!Array.isArray(v)) return plain(v);
      const items = v.filter((x) => !missing(x));
      return items.length === 0 ? 'none' : items.map(plain).join(', ');
    }
    case 'text':
      return plain(v);
  }
}

/** Every declared field of a kind, in its order, with its value and unit (or "unknown"). */
export function detailRows(fields: readonly KindDetailFieldDto[], details: Record<string, unknown>): DetailRow[] {
  return fields.map((f) => {
    const present = Object.hasOwn(details, f.key);
    const value = formatDetailValue(f, present ? details[f.key] : undefined);
    // A stored null the kind explains ("none"): AWS reported nothing because there is nothing.
    if (value === null && present && details[f.key] === null && f.emptyText !== undefined) {
      return { key: f.key, label: f.label, text: f.emptyText, unknown: false };
    }
    if (value === null) return { key: f.key, label: f.label, text: UNKNOWN, unknown: true };
    return { key: f.key, label: f.label, text: f.unit ? `${value} ${f.unit}` : value, unknown: false };
  });
}
