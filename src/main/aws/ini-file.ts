/**
 * A strict reader for the AWS shared config/credentials INI format. The SDK's own loader silently skips lines it
 * does not understand; this one reports them (with the line number) so the UI can tell the user what is wrong,
 * while still returning every well-formed section.
 */

export interface IniSection {
  /** Text between the brackets, trimmed, e.g. `profile dev` or `default`. */
  header: string;
  /** 1-based line of the header. */
  line: number;
  /** Keys as written; sub-properties as `parent.child` (the SDK's own convention). Values are trimmed. */
  values: Record<string, string>;
}

export interface IniProblem {
  /** 1-based line number. */
  line: number;
  reason: string;
  /** The section the bad line belongs to (it is left out of `sections`), or null before any section. */
  section: string | null;
}

export interface ParsedIni {
  sections: IniSection[];
  problems: IniProblem[];
}

const HEADER = /^\[([^\]]*)\]\s*(?:[#;].*)?$/;
const KEY_VALUE = /^([^=\s][^=]*?)\s*=\s*(.*)$/;
// Mirrors the SDK: `#` or `;` after whitespace starts an inline comment.
const INLINE_COMMENT = /(^|\s)[;#].*$/;

function stripInlineComment(value: string): string {
  return value.replace(INLINE_COMMENT, '').trim();
}

export function parseIni(text: string): ParsedIni {
  const sections: IniSection[] = [];
  const problems: IniProblem[] = [];
  let current: IniSection | null = null;
  let currentBroken = false;
  // The last top-level key, for sub-properties (`ec2 =` then indented `endpoint_url = …`) and continuations.
  let lastKey: { name: string; empty: boolean } | null = null;

  const fail = (line: number, reason: string): void => {
    problems.push({ line, reason, section: current?.header ?? null });
    if (current !== null) currentBroken = true;
  };
  const closeSection = (): void => {
    if (current !== null && !currentBroken) sections.push(current);
    current = null;
    currentBroken = false;
    lastKey = null;
  };

  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;

    if (trimmed.startsWith('[')) {
      closeSection();
      const m = HEADER.exec(trimmed);
      if (!m) {
        problems.push({ line: lineNo, reason: 'section header is not terminated by "]"', section: null });
        // Lines up to the next header belong to no usable section.
        current = { header: trimmed, line: lineNo, values: {} };
        currentBroken = true;
        return;
      }
      const header = (m[1] ?? '').trim().replace(/\s+/g, ' ');
      if (header === '') {
        problems.push({ line: lineNo, reason: 'section header is empty', section: null });
        current = { header: '', line: lineNo, values: {} };
        currentBroken = true;
        return;
      }
      current = { header, line: lineNo, values: {} };
      return;
    }

    if (current === null) {
      fail(lineNo, 'a setting appears before any [section] header');
      return;
    }
    const section: IniSection = current;
    const indented = /^\s/.test(raw);
    const kv = KEY_VALUE.exec(trimmed);

    if (indented && lastKey !== null) {
      if (lastKey.empty) {
        // Sub-property of a nested setting such as `ec2 =` in a [services] section.
        if (!kv) {
          fail(lineNo, `expected "name = value" under "${lastKey.name}"`);
          return;
        }
        const subName = (kv[1] ?? '').trim();
        section.values[`${lastKey.name}.${subName}`] = stripInlineComment(kv[2] ?? '');
        return;
      }
      // Continuation of the previous value (configparser semantics).
      const previous = section.values[lastKey.name] ?? '';
      section.values[lastKey.name] = `${previous}\n${stripInlineComment(trimmed)}`;
      return;
    }

    if (!kv) {
      fail(lineNo, 'expected "name = value", a [section] header or a comment');
      return;
    }
    const name = (kv[1] ?? '').trim();
    const value = stripInlineComment(kv[2] ?? '');
    section.values[name] = value;
    lastKey = { name, empty: value === '' };
  });
  closeSection();
  return { sections, problems };
}
