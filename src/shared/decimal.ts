/**
 * Exact sums of the decimal strings Cost Explorer returns ("0.0000012345"). Adding IEEE doubles would drift in
 * the last digits over thousands of daily amounts; BigInt with a decimal scale does not.
 */

interface Decimal {
  /** value = units / 10^scale */
  units: bigint;
  scale: number;
}

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

function parse(text: string): Decimal | null {
  const m = DECIMAL_RE.exec(text.trim());
  if (!m) return null;
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  if (intPart === '' && fracPart === '') return null;
  const exp = m[4] !== undefined ? Number(m[4]) : 0;
  let units = BigInt((intPart + fracPart).replace(/^0+(?=\d)/, '') || '0');
  let scale = fracPart.length - exp;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: m[1] === '-' ? -units : units, scale };
}

function format(d: Decimal): string {
  const negative = d.units < 0n;
  let digits = (negative ? -d.units : d.units).toString();
  if (d.scale > 0) {
    digits = digits.padStart(d.scale + 1, '0');
    const int = digits.slice(0, digits.length - d.scale);
    const frac = digits.slice(digits.length - d.scale).replace(/0+$/, '');
    digits = frac === '' ? int : `${int}.${frac}`;
  }
  return negative && digits !== '0' ? `-${digits}` : digits;
}

/** True when `text` is a plain or exponent decimal number. */
export function isDecimalString(text: string): boolean {
  return parse(text) !== null;
}

/** Exact sum of decimal strings, as a plain decimal string without trailing zeros. Invalid inputs throw. */
export function sumDecimalStrings(values: Iterable<string>): string {
  let acc: Decimal = { units: 0n, scale: 0 };
  for (const v of values) {
    const d = parse(v);
    if (!d) throw new Error(`Not a decimal amount: ${JSON.stringify(v)}`);
    const scale = Math.max(acc.scale, d.scale);
    acc = {
      units: acc.units * 10n ** BigInt(scale - acc.scale) + d.units * 10n ** BigInt(scale - d.scale),
      scale,
    };
  }
  return format(acc);
}

/** A decimal string in plain notation (exponent form expanded), trailing zeros removed. */
export function normalizeDecimalString(text: string): string {
  return sumDecimalStrings([text]);
}
