/** Reading AWS Query-protocol form parameters (`Filter.1.Name`, `InstanceId.2`, …): the EC2 Query and AWS Query protocols. */

export class QueryParams {
  readonly map: Map<string, string>;

  constructor(body: string) {
    this.map = new Map(new URLSearchParams(body));
  }

  get(name: string): string | undefined {
    return this.map.get(name);
  }

  /** `Prefix.1`, `Prefix.2`, … in index order (AWS lists are 1-based and may be sparse). */
  list(prefix: string): string[] {
    const out: [number, string][] = [];
    const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)$`);
    for (const [k, v] of this.map) {
      const m = re.exec(k);
      if (m?.[1] !== undefined) out.push([Number(m[1]), v]);
    }
    return out.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  }

  /** `Filter.N.Name` / `Filter.N.Value.M` → filters in index order. */
  filters(prefix = 'Filter'): { name: string; values: string[] }[] {
    const idx = new Set<number>();
    const re = new RegExp(`^${prefix}\\.(\\d+)\\.Name$`);
    for (const k of this.map.keys()) {
      const m = re.exec(k);
      if (m?.[1] !== undefined) idx.add(Number(m[1]));
    }
    return [...idx].sort((a, b) => a - b).map((n) => ({
      name: this.map.get(`${prefix}.${n}.Name`) ?? '',
      values: this.list(`${prefix}.${n}.Value`),
    }));
  }

  bool(name: string): boolean {
    return this.map.get(name)?.toLowerCase() === 'true';
  }

  /** Integer parameter; NaN when present but not a number. */
  int(name: string): number | undefined {
    const v = this.map.get(name);
    return v === undefined ? undefined : /^-?\d+$/.test(v) ? Number(v) : NaN;
  }

  /** A canonical string of every parameter except the ones named, used to tie a NextToken to its request. */
  fingerprint(exclude: readonly string[]): string {
    return [...this.map.entries()]
      .filter(([k]) => !exclude.includes(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
  }
}

/** A Query-protocol request's parameters: the form body, else the URL's query string (AWS accepts both). */
export function queryParamsOf(req: { body: string; query: URLSearchParams }): QueryParams {
  return new QueryParams(req.body !== '' ? req.body : req.query.toString());
}
