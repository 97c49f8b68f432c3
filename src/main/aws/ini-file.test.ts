import { describe, expect, it } from 'vitest';
import { parseIni } from './ini-file';

describe('parseIni', () => {
  it('reads sections, comments, inline comments, sub-properties and continuations', () => {
    const text = [
      '# comment',
      '; another',
      '[default]',
      'region=eu-west-1 # trailing',
      '',
      '[services  s]',
      'ec2 =',
      '  endpoint_url = http://127.0.0.1:1',
      '  region = x',
      'sts =',
      '\tendpoint_url = http://127.0.0.1:2',
      '[profile p] ; header comment',
      'credential_process = a',
      '  --flag',
    ].join('\r\n');
    const { sections, problems } = parseIni(text);
    expect(problems).toEqual([]);
    expect(sections).toEqual([
      { header: 'default', line: 3, values: { region: 'eu-west-1' } },
      {
        header: 'services s',
        line: 6,
        values: { ec2: '', 'ec2.endpoint_url': 'http://127.0.0.1:1', 'ec2.region': 'x', sts: '', 'sts.endpoint_url': 'http://127.0.0.1:2' },
      },
      { header: 'profile p', line: 12, values: { credential_process: 'a\n--flag' } },
    ]);
  });

  it('keeps a "#" that is part of a value', () => {
    expect(parseIni('[a]\nk = x#y\n').sections[0]?.values.k).toBe('x#y');
  });

  it('reports bad lines with their number and drops only the broken sections', () => {
    const { sections, problems } = parseIni('k = v\n[a]\nx = 1\n[b\ny = 2\n[c]\nnot a setting\n[]\n[d]\nz = 3\n');
    expect(problems).toEqual([
      { line: 1, reason: 'a setting appears before any [section] header', section: null },
      { line: 4, reason: 'section header is not terminated by "]"', section: null },
      { line: 7, reason: 'expected "name = value", a [section] header or a comment', section: 'c' },
      { line: 8, reason: 'section header is empty', section: null },
    ]);
    expect(sections.map((s) => s.header)).toEqual(['a', 'd']);
  });

  it('rejects a line without "=" under a nested setting', () => {
    const { problems, sections } = parseIni('[services x]\nec2 =\n  endpoint_url\n');
    expect(problems).toEqual([{ line: 3, reason: 'expected "name = value" under "ec2"', section: 'services x' }]);
    expect(sections).toEqual([]);
  });
});
