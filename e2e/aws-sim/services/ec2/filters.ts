/**
 * EC2 `Filter.N` semantics: values of one filter are OR-ed, filters are AND-ed, `*` and `?` are wildcards
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Filtering.html). `tag:<key>` and `tag-key`
 * work on every taggable kind. An unknown filter name is `InvalidParameterValue`, as EC2 answers.
 */
import { ApiError } from '../../api-error';
import type { SimTag } from '../../state';

export type FilterValues<T> = (item: T) => readonly (string | number | boolean | undefined)[];
export type Extractors<T> = Record<string, FilterValues<T>>;

function wildcard(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\' && i + 1 < pattern.length) re += (pattern[++i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

export function applyFilters<T>(
  items: readonly T[],
  filters: readonly { name: string; values: string[] }[],
  extractors: Extractors<T>,
  tagsOf?: (item: T) => readonly SimTag[],
): T[] {
  if (filters.length === 0) return [...items];
  const preds = filters.map((f): ((item: T) => boolean) => {
    const pats = f.values.map(wildcard);
    const matchAny = (vals: readonly (string | number | boolean | undefined)[]): boolean =>
      vals.some((v) => v !== undefined && pats.some((p) => p.test(String(v))));
    if (tagsOf && f.name.startsWith('tag:')) {
      const key = f.name.slice(4);
      return (item) => matchAny(tagsOf(item).filter((t) => t.key === key).map((t) => t.value));
    }
    if (tagsOf && f.name === 'tag-key') return (item) => matchAny(tagsOf(item).map((t) => t.key));
    if (tagsOf && f.name === 'tag-value') return (item) => matchAny(tagsOf(item).map((t) => t.value));
    const ex = extractors[f.name];
    if (!ex) throw new ApiError('InvalidParameterValue', `The filter '${f.name}' is invalid`);
    return (item) => matchAny(ex(item));
  });
  return items.filter((item) => preds.every((p) => p(item)));
}
