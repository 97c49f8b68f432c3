/**
 * Routing by HTTP method + path template, shared by the REST protocols (rest-json.ts, rest-xml.ts). Templates are
 * the Smithy `@http` URIs: `/clusters/{name}`, `/{Bucket}/{Key+}` (greedy label: the rest of the path),
 * `/{Bucket}?list-type=2` or `/{Bucket}?tagging` (a query literal the request must carry). The most specific
 * template wins: more query literals, then more literal path segments, then no greedy label.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SimRequest } from './protocol';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a REST operation receives: the path labels (URI-decoded), the query string, the headers and the body. */
export interface RestInput<B> {
  labels: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: B;
}

type Segment = { literal: string } | { label: string; greedy: boolean };

export interface CompiledRoute<T> {
  name: string;
  method: string;
  segments: Segment[];
  /** Query literals: `[key, value]`, value undefined when only presence is required (`?tagging`). */
  query: [string, string | undefined][];
  value: T;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a malformed escape stays as sent
  }
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

export function compileRoute<T>(name: string, method: string, template: string, value: T): CompiledRoute<T> {
  const [pathPart = '/', queryPart] = template.split('?', 2);
  const segments: Segment[] = splitPath(pathPart).map((s, i, all) => {
    const m = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(s);
    if (!m?.[1]) return { literal: s };
    const greedy = m[2] === '+';
    if (greedy && i !== all.length - 1) throw new Error(`${name}: a greedy label must be the last segment of ${template}`);
    return { label: m[1], greedy };
  });
  const query: [string, string | undefined][] = (queryPart ?? '')
    .split('&')
    .filter((q) => q !== '')
    .map((q) => {
      const eq = q.indexOf('=');
      return eq < 0 ? [q, undefined] : [q.slice(0, eq), q.slice(eq + 1)];
    });
  return { name, method: method.toUpperCase(), segments, query, value };
}

const literalCount = (r: CompiledRoute<unknown>): number => r.segments.filter((s) => 'literal' in s).length;
const hasGreedy = (r: CompiledRoute<unknown>): boolean => r.segments.some((s) => 'greedy' in s && s.greedy);

/** Most specific first. */
export function sortRoutes<T>(routes: CompiledRoute<T>[]): CompiledRoute<T>[] {
  return [...routes].sort(
    (a, b) =>
      b.query.length - a.query.length ||
      literalCount(b) - literalCount(a) ||
      Number(hasGreedy(a)) - Number(hasGreedy(b)) ||
      b.segments.length - a.segments.length,
  );
}

/** The labels when the route matches the request, else undefined. */
export function matchRoute(route: CompiledRoute<unknown>, req: Pick<SimRequest, 'method' | 'path' | 'query'>): Record<string, string> | undefined {
  if (route.method !== req.method.toUpperCase()) return undefined;
  for (const [k, v] of route.query) {
    if (!req.query.has(k) || (v !== undefined && req.query.get(k) !== v)) return undefined;
  }
  const parts = splitPath(req.path);
  const labels: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    if ('literal' in seg) {
      if (parts[i] !== seg.literal) return undefined;
      continue;
    }
    if (seg.greedy) {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      labels[seg.label] = rest.map(decode).join('/');
      return labels;
    }
    const part = parts[i];
    if (part === undefined || part === '') return undefined;
    labels[seg.label] = decode(part);
  }
  return parts.length === route.segments.length ? labels : undefined;
}

export function findRoute<T>(routes: readonly CompiledRoute<T>[], req: Pick<SimRequest, 'method' | 'path' | 'query'>): { route: CompiledRoute<T>; labels: Record<string, string> } | undefined {
  for (const route of routes) {
    const labels = matchRoute(route, req);
    if (labels) return { route, labels };
  }
  return undefined;
}
