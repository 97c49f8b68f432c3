/**
 * Redaction of everything that reaches a log: secret-named keys anywhere in objects, and secrets inside free text
 * (ini lines, JSON, HTTP headers, presigned query strings). Access key ids keep their first and last 4 characters so
 * a user can still tell which key was used.
 */
const SECRET_KEY = /secret|token|password|passphrase|credential|authorization|signature|x-amz-security|^cookie$|^set-cookie$/i;
const MAX_DEPTH = 8;
export const REDACTED = '[redacted]';

/** `AKIAIOSFODNN7EXAMPLE` → `AKIA…MPLE`. */
export function maskAccessKeyId(id: string): string {
  return id.length <= 8 ? REDACTED : `${id.slice(0, 4)}…${id.slice(-4)}`;
}

const TEXT_RULES: Array<[RegExp, string | ((...m: string[]) => string)]> = [
  // ini / env style: aws_secret_access_key = …, AWS_SESSION_TOKEN=…
  [/\b(aws_secret_access_key|aws_session_token|aws_security_token)(\s*[=:]\s*)("?)[^\s"',;]+/gi, `$1$2$3${REDACTED}`],
  // JSON / JS objects in text: "SecretAccessKey":"…", SessionToken: '…'
  [/(["']?(?:SecretAccessKey|SessionToken|secretAccessKey|sessionToken|Password|password)["']?\s*[:=]\s*)(["'])(?:(?!\2).)*\2/g, `$1$2${REDACTED}$2`],
  // HTTP headers and signed URLs
  [/\b(Authorization\s*[:=]\s*)[^\n\r]+/gi, `$1${REDACTED}`],
  [/\b(X-Amz-Security-Token\s*[:=]\s*)[^\s&,;]+/gi, `$1${REDACTED}`],
  [/\b(X-Amz-Security-Token|X-Amz-Signature|X-Amz-Credential)=[^&\s"']+/gi, `$1=${REDACTED}`],
  [/\b(Credential=|Signature=)[^,\s&]+/g, `$1${REDACTED}`],
  // Access key ids (long-term AKIA…, temporary ASIA…)
  [/\b((?:AKIA|ASIA)[A-Z0-9]{12,})\b/g, (m: string) => maskAccessKeyId(m)],
];

export function redactText(s: string): string {
  let out = s;
  for (const [re, rep] of TEXT_RULES) out = typeof rep === 'string' ? out.replace(re, rep) : out.replace(re, rep);
  return out;
}

/** A deep copy with secrets removed; the input is never modified (it may be a live SDK object). */
export function redactValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[…]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Date) return value;
  if (value instanceof Error) {
    const copy = new Error(redactText(value.message));
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : redactText(value.stack);
    for (const [k, v] of Object.entries(value)) {
      (copy as unknown as Record<string, unknown>)[k] = SECRET_KEY.test(k) ? REDACTED : redactValue(v, depth + 1, seen);
    }
    return copy;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, seen));
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, SECRET_KEY.test(String(k)) ? REDACTED : redactValue(v, depth + 1, seen)]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && !/^(accesskeyid|.*count)$/i.test(k) ? REDACTED : redactValue(v, depth + 1, seen);
  }
  return out;
}

/** What a logging hook applies to the arguments of one log call. */
export function redactLogArgs(args: readonly unknown[]): unknown[] {
  return args.map((a) => redactValue(a));
}
