/** Exact addition of decimal strings (CE amounts are strings; floats would lose sub-cent precision). */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

function parse(s: string): { value: bigint; scale: number } {
  const m = DECIMAL.exec(s.trim());
  if (!m) throw new Error(`not a plain decimal amount: '${s}'`);
  const frac = m[3] ?? '';
  const value = BigInt(`${m[2] ?? '0'}${frac}`);
  return { value: m[1] === '-' ? -value : value, scale: frac.length };
}

export function isDecimal(s: string): boolean {
  return DECIMAL.test(s.trim());
}

/** Sum of decimal strings at the largest input scale; a single amount comes back verbatim; none → '0'. */
export function sumDecimals(amounts: readonly string[]): string {
  if (amounts.length === 0) return '0';
  if (amounts.length === 1) return amounts[0] ?? '0';
  const parsed = amounts.map(parse);
  const scale = Math.max(...parsed.map((p) => p.scale));
  let total = 0n;
  for (const p of parsed) total += p.value * 10n ** BigInt(scale - p.scale);
  const neg = total < 0n;
  const digits = (neg ? -total : total).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${neg ? '-' : ''}${int}${scale > 0 ? `.${frac}` : ''}`;
}
