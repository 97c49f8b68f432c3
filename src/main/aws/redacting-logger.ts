import type { Logger } from '@smithy/types';

// Keys whose values must never reach a log (SDK inputs/outputs, headers, credential objects).
const SECRET_KEY = /secret|token|password|credential|authorization|signature|accesskeyid|x-amz-security/i;
const MAX_DEPTH = 6;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Date || value === null || typeof value !== 'object') {
    return typeof value === 'string' ? redactText(value) : value;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

/** Free text may carry a signed header or an access key id (AKIA…/ASIA…). */
function redactText(s: string): string {
  return s
    .replace(/(Credential=|Signature=|X-Amz-Security-Token=)[^,\s&]+/g, '$1[redacted]')
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '$1[redacted]');
}

/** Wraps a logger so that nothing secret is passed to it; without a logger, nothing is logged. */
export function redactingLogger(target: Logger | undefined): Logger {
  const call =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...content: unknown[]): void => {
      target?.[level](...content.map((c) => redact(c)));
    };
  return { debug: call('debug'), info: call('info'), warn: call('warn'), error: call('error') };
}
