/**
 * S3 in the simulated account: each region's buckets (`sim.state.region('eu-west-1').s3.buckets`), their incomplete
 * multipart uploads (with their parts), their lifecycle configuration and tags; the fixture section
 * `resources[region].s3` and its loader. services/s3.ts answers the REST-XML API from it; `taggedResources()` feeds
 * the Resource Groups Tagging API (`s3:bucket`, ARN `arn:aws:s3:::<bucket>`, listed in the bucket's region).
 *
 * A bucket lives in the state of its region; its name is unique in the whole account (S3's namespace is global: the
 * loader cannot see other regions, so a fixture must not repeat a name).
 *
 * The lifecycle configuration is kept as the XML elements of its rules, exactly as they were put (or given by the
 * fixture), and answered back the same: what a PutBucketLifecycleConfiguration stored is what the next Get returns.
 * `parseLifecycle` checks a put body the way S3 documents it (see its comment) and answers S3's error codes.
 */
import { createHash } from 'node:crypto';
import { ApiError } from './api-error';
import type { FixtureTags } from './fixture';
import { esc } from './protocols/xml';
import type { SimTag, SimTaggedResource } from './state';

export interface SimS3Part {
  partNumber: number;
  size: number;
  etag: string;
  lastModified: Date;
}

export interface SimS3Upload {
  uploadId: string;
  key: string;
  initiated: Date;
  /** STANDARD, STANDARD_IA, ONEZONE_IA, GLACIER_IR, INTELLIGENT_TIERING, GLACIER, DEEP_ARCHIVE, … */
  storageClass: string;
  parts: SimS3Part[];
}

/** One XML element: its name, its child elements in order, its text (elements have one or the other). */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

export interface SimS3Bucket {
  name: string;
  region: string;
  createdAt: Date;
  tags: SimTag[];
  /** Incomplete multipart uploads by upload id. */
  readonly uploads: Map<string, SimS3Upload>;
  /** The `<Rule>` elements of the lifecycle configuration, as put; null = none (NoSuchLifecycleConfiguration). */
  lifecycle: XmlElement[] | null;
  /** The `x-amz-transition-default-minimum-object-size` the configuration was put with (S3's default otherwise). */
  transitionDefaultMinimumObjectSize: string;
}

export interface S3UploadFixture {
  key: string;
  /** Default 30. */
  initiatedDaysAgo?: number;
  /** ISO; wins over initiatedDaysAgo. */
  initiated?: string;
  storageClass?: string; // default STANDARD
  /** The size in bytes of each uploaded part (part numbers 1…n). Default: none uploaded yet. */
  partSizes?: number[];
  uploadId?: string;
}

export interface S3BucketFixture {
  /** 3–63 characters: lower-case letters, digits, dots and hyphens. */
  name: string;
  createdDaysAgo?: number; // default 365
  tags?: FixtureTags;
  uploads?: S3UploadFixture[];
  /** The `<Rule>…</Rule>` elements of its lifecycle configuration (XML, as S3 answers them); absent: none. */
  lifecycleRules?: string;
}

/** The fixture section `resources[region].s3`. */
export interface S3RegionFixture {
  buckets?: S3BucketFixture[];
}

export const BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const bucketArn = (name: string): string => `arn:aws:s3:::${name}`;
/** S3's default for configurations put without the header (since September 2024). */
export const DEFAULT_TRANSITION_MIN_SIZE = 'all_storage_classes_128K';
/** PutBucketLifecycleConfiguration: "you can have up to 1,000 rules". */
export const MAX_LIFECYCLE_RULES = 1000;

export class SimS3Region {
  /** Buckets of this region by name. */
  readonly buckets = new Map<string, SimS3Bucket>();

  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [...this.buckets.values()].map((b) => ({ arn: bucketArn(b.name), resourceType: 's3:bucket', tags: b.tags.map((t) => ({ ...t })) }));
  }
}

/** An opaque upload id of S3's length (deterministic, so tests may name one). */
export function newUploadId(seed: string): string {
  return createHash('sha256').update(seed).digest('base64url').replace(/[-_]/g, 'x') + '--';
}

export function partEtag(seed: string): string {
  return `"${createHash('md5').update(seed).digest('hex')}"`;
}

// ---- the lifecycle configuration as XML ----

const MALFORMED = (): ApiError =>
  new ApiError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e] ?? '';
  });
}

/** A small, strict XML reader (elements, text, attributes ignored, no mixed content): MalformedXML otherwise. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const skipMisc = (): void => {
    for (;;) {
      while (i < xml.length && /\s/.test(xml[i]!)) i++;
      if (xml.startsWith('<?', i)) {
        const e = xml.indexOf('?>', i);
        if (e < 0) throw MALFORMED();
        i = e + 2;
      } else if (xml.startsWith('<!--', i)) {
        const e = xml.indexOf('-->', i);
        if (e < 0) throw MALFORMED();
        i = e + 3;
      } else return;
    }
  };
  const element = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(xml.slice(i));
    if (!open) throw MALFORMED();
    i += open[0].length;
    const el: XmlElement = { name: open[1]!, children: [], text: '' };
    if (open[3] === '/') return el;
    let text = '';
    for (;;) {
      if (i >= xml.length) throw MALFORMED();
      if (xml.startsWith('</', i)) {
        const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(xml.slice(i));
        if (!close || close[1] !== el.name) throw MALFORMED();
        i += close[0].length;
        if (el.children.length > 0 && text.trim() !== '') throw MALFORMED();
        el.text = el.children.length > 0 ? '' : unescapeXml(text);
        return el;
      }
      if (xml.startsWith('<!--', i)) {
        skipMisc();
        continue;
      }
      if (xml[i] === '<') el.children.push(element());
      else text += xml[i++];
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== xml.length) throw MALFORMED();
  return root;
}

export function renderXml(e: XmlElement): string {
  if (e.children.length === 0) return e.text === '' ? `<${e.name}></${e.name}>` : `<${e.name}>${esc(e.text)}</${e.name}>`;
  return `<${e.name}>${e.children.map(renderXml).join('')}</${e.name}>`;
}

const child = (e: XmlElement, name: string): XmlElement | undefined => e.children.find((c) => c.name === name);
const count = (e: XmlElement, name: string): number => e.children.filter((c) => c.name === name).length;

const RULE_MEMBERS = new Set([
  'ID', 'Prefix', 'Filter', 'Status', 'Transition', 'Expiration', 'NoncurrentVersionTransition', 'NoncurrentVersionExpiration', 'AbortIncompleteMultipartUpload',
]);
const ACTIONS = ['Transition', 'Expiration', 'NoncurrentVersionTransition', 'NoncurrentVersionExpiration', 'AbortIncompleteMultipartUpload'];
const FILTER_MEMBERS = new Set(['Prefix', 'Tag', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan', 'And']);

const positiveInt = (s: string): boolean => /^[0-9]+$/.test(s) && Number(s) > 0;

/**
 * The rules of a PutBucketLifecycleConfiguration body, checked as S3 documents them: the root is
 * `LifecycleConfiguration` with 1–1,000 `Rule`s (none, or unknown elements: MalformedXML); each rule has a `Status`
 * of Enabled or Disabled, either a `Filter` (at most one of Prefix, Tag, ObjectSizeGreaterThan, ObjectSizeLessThan,
 * And) or the legacy rule-level `Prefix` (not both, not neither: MalformedXML), at least one action (InvalidRequest);
 * IDs are at most 255 characters and unique (InvalidArgument); AbortIncompleteMultipartUpload cannot be combined with a
 * tag filter (InvalidRequest) and needs a positive DaysAfterInitiation (InvalidArgument).
 */
export function parseLifecycle(body: string): XmlElement[] {
  const root = parseXml(body);
  if (root.name !== 'LifecycleConfiguration' || root.children.some((c) => c.name !== 'Rule')) throw MALFORMED();
  const rules = root.children;
  if (rules.length === 0) throw MALFORMED();
  if (rules.length > MAX_LIFECYCLE_RULES) throw new ApiError('InvalidRequest', `The number of lifecycle rules must not exceed the allowed limit of ${MAX_LIFECYCLE_RULES} rules`, 400);
  const ids = new Set<string>();
  for (const r of rules) {
    if (r.children.some((c) => !RULE_MEMBERS.has(c.name))) throw MALFORMED();
    for (const single of ['ID', 'Prefix', 'Filter', 'Status', 'Expiration', 'NoncurrentVersionExpiration', 'AbortIncompleteMultipartUpload']) {
      if (count(r, single) > 1) throw MALFORMED();
    }
    const status = child(r, 'Status')?.text;
    if (status !== 'Enabled' && status !== 'Disabled') throw MALFORMED();
    const filter = child(r, 'Filter');
    if ((filter === undefined) === (child(r, 'Prefix') === undefined)) throw MALFORMED();
    if (filter !== undefined && (filter.children.length > 1 || filter.children.some((c) => !FILTER_MEMBERS.has(c.name)))) throw MALFORMED();
    const id = child(r, 'ID')?.text;
    if (id !== undefined) {
      if (id.length > 255) throw new ApiError('InvalidArgument', 'ID length should not exceed allowed limit of 255', 400);
      if (ids.has(id)) throw new ApiError('InvalidArgument', 'Rule ID must be unique. Found same ID for more than one rule', 400);
      ids.add(id);
    }
    if (!ACTIONS.some((a) => child(r, a) !== undefined)) throw new ApiError('InvalidRequest', 'At least one action needs to be specified in a rule', 400);
    const abort = child(r, 'AbortIncompleteMultipartUpload');
    if (abort !== undefined) {
      const and = filter && child(filter, 'And');
      if ((filter && child(filter, 'Tag')) || (and && child(and, 'Tag'))) throw new ApiError('InvalidRequest', 'AbortIncompleteMultipartUpload cannot be specified with Tags.', 400);
      const days = child(abort, 'DaysAfterInitiation')?.text ?? '';
      if (!positiveInt(days)) throw new ApiError('InvalidArgument', "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer", 400);
    }
  }
  return rules;
}

// ---- the fixture ----

export function loadS3Fixture(into: SimS3Region, fx: S3RegionFixture | undefined, ctx: { region: string; accountId: string; now: Date }): void {
  if (fx === undefined) return;
  const day = 86_400_000;
  for (const b of fx.buckets ?? []) {
    if (!BUCKET_NAME_PATTERN.test(b.name)) throw new Error(`fixture: bucket name ${b.name} breaks S3's naming rules`);
    if (into.buckets.has(b.name)) throw new Error(`fixture: bucket ${b.name} appears twice in ${ctx.region}`);
    const lifecycle = b.lifecycleRules === undefined ? null : parseLifecycle(`<LifecycleConfiguration>${b.lifecycleRules}</LifecycleConfiguration>`);
    const bucket: SimS3Bucket = {
      name: b.name,
      region: ctx.region,
      createdAt: new Date(ctx.now.getTime() - (b.createdDaysAgo ?? 365) * day),
      tags: Object.entries(b.tags ?? {}).map(([key, value]) => ({ key, value })),
      uploads: new Map(),
      lifecycle,
      transitionDefaultMinimumObjectSize: DEFAULT_TRANSITION_MIN_SIZE,
    };
    (b.uploads ?? []).forEach((u, n) => {
      const initiated = u.initiated !== undefined ? new Date(u.initiated) : new Date(ctx.now.getTime() - (u.initiatedDaysAgo ?? 30) * day);
      const uploadId = u.uploadId ?? newUploadId(`${ctx.accountId}/${b.name}/${u.key}/${n}`);
      if (bucket.uploads.has(uploadId)) throw new Error(`fixture: upload id ${uploadId} appears twice in bucket ${b.name}`);
      bucket.uploads.set(uploadId, {
        uploadId,
        key: u.key,
        initiated,
        storageClass: u.storageClass ?? 'STANDARD',
        parts: (u.partSizes ?? []).map((size, p) => ({
          partNumber: p + 1,
          size,
          etag: partEtag(`${uploadId}/${p + 1}`),
          lastModified: new Date(initiated.getTime() + (p + 1) * 60_000),
        })),
      });
    });
    into.buckets.set(b.name, bucket);
  }
}
