/** Minimal XML writing for the Query protocols: escaped text elements and `<item>`/`<member>` lists. */

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export type XmlScalar = string | number | boolean | Date | undefined | null;

/** `<name>value</name>`; nothing at all when the value is undefined/null (AWS omits absent members). */
export function el(name: string, value: XmlScalar): string {
  if (value === undefined || value === null) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return text === '' ? `<${name}/>` : `<${name}>${esc(text)}</${name}>`;
}

/** A structure from already-rendered children. */
export function node(name: string, ...children: string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

/** EC2 list: `<name><item>…</item></name>`, and `<name/>` when empty. */
export function itemSet(name: string, items: readonly string[]): string {
  if (items.length === 0) return `<${name}/>`;
  return `<${name}>${items.map((i) => `<item>${i}</item>`).join('')}</${name}>`;
}

/** EC2 tagSet: omitted entirely when there are no tags, as DescribeVolumes/Instances/Snapshots do. */
export function tagSet(tags: readonly { key: string; value: string }[]): string {
  if (tags.length === 0) return '';
  return itemSet('tagSet', tags.map((t) => el('key', t.key) + el('value', t.value)));
}

export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
