/**
 * The dependency model every kind shares: a finding's own cost plus its parts (what its action removes with it and
 * what stays). Savings, the protection of parts, the re-check's comparison and the bill reconciliation are computed
 * here, once, from what each handler's `parts` returns.
 */
import type { TagNearMissDto } from '../../shared/dto/findings';
import { protectionByTag, roundCost, usd } from './handler';
import type { DeleteContext, DeleteOutcome, Finding, HandlerSettings, ItemParts, Part, PartsOptions, ResourceHandler, StoredFinding } from './handler';

/** What a kind calls its parts in a sentence: "its snapshot snap-…". */
const PART_NOUNS: Record<string, string> = {
  'ec2:volume': 'volume',
  'ec2:snapshot': 'snapshot',
  'ec2:elastic-ip': 'Elastic IP',
  'ec2:instance': 'instance',
  'ec2:image': 'AMI',
  'ec2:nat-gateway': 'NAT gateway',
  'ec2:vpc-endpoint': 'VPC endpoint',
  'elb:load-balancer': 'load balancer',
  'rds:db-instance': 'DB instance',
  'rds:db-cluster': 'DB cluster',
  'rds:snapshot': 'DB snapshot',
  'elasticache:cluster': 'ElastiCache cluster',
  'elasticache:snapshot': 'ElastiCache snapshot',
  'redshift:cluster': 'Redshift cluster',
  'redshift:snapshot': 'Redshift snapshot',
  'opensearch:domain': 'OpenSearch domain',
  'logs:log-group': 'log group',
  'logs:dead-log-group': 'log group',
  's3:incomplete-uploads': 'incomplete upload',
  'ecr:image': 'container image',
  'secretsmanager:secret': 'secret',
  'eks:cluster': 'EKS cluster',
  'kms:key': 'KMS key',
  'sagemaker:endpoint': 'SageMaker endpoint',
  'sagemaker:endpoint-config': 'endpoint configuration',
  'sagemaker:notebook-instance': 'notebook instance',
};

export function partNoun(resourceType: string): string {
  return PART_NOUNS[resourceType] ?? resourceType;
}

/**
 * A part's protection from its own tags under the settings in force, plus any extra reason the handler knows
 * (service-managed). Unknown tags protect: a part whose tags were not read is never deleted on a guess.
 */
export function partProtection(
  resourceType: string,
  resourceId: string,
  tags: Record<string, string> | null,
  settings: HandlerSettings,
  extra: (tags: Record<string, string>) => string | null = () => null,
): { protected: boolean; protectedReason: string | null } {
  const noun = partNoun(resourceType);
  if (tags === null) {
    return { protected: true, protectedReason: `the tags of its ${noun} ${resourceId} could not be read` };
  }
  const byTag = protectionByTag(tags, settings.protectionTagKey);
  if (byTag !== null) return { protected: true, protectedReason: `its ${noun} ${resourceId} is ${byTag.replace(/^Tagged/, 'tagged')}` };
  const other = extra(tags);
  if (other !== null) return { protected: true, protectedReason: `its ${noun} ${resourceId}: ${other}` };
  return { protected: false, protectedReason: null };
}

/** Applies the user's "add to this plan" choices: an added addable kept part is removed by the action too. */
export function withAdded(parts: Part[], options: PartsOptions): Part[] {
  const added = new Set(options.added ?? []);
  if (added.size === 0) return parts;
  return parts.map((p) =>
    p.fate === 'kept' && p.addable && added.has(p.resourceId)
      ? { ...p, fate: 'deleted', added: true, note: `Added to this plan: removed after the main action (${p.note})` }
      : p,
  );
}

/** The first reason a part the action would remove is protected, or null: it protects the whole item. */
export function protectingPart(parts: readonly Part[]): string | null {
  const p = parts.find((x) => x.fate === 'deleted' && x.protected);
  return p === undefined ? null : (p.protectedReason ?? `its ${partNoun(p.resourceType)} ${p.resourceId} is protected`);
}

/**
 * What the item's action stops billing: its own cost plus every part it removes, minus what it creates (a safety
 * snapshot). Unknown when any of those is unknown: never a partial sum presented as the whole.
 */
export function itemSavings(ip: ItemParts): { savings: number | null; basis: string } {
  const terms: string[] = [];
  const unknown: string[] = [];
  let micro = 0;
  const add = (label: string, cost: number | null, sign: 1 | -1): void => {
    if (cost === null) unknown.push(label);
    else {
      micro += sign * Math.round(cost * 1e6);
      terms.push(`${sign < 0 ? '− ' : ''}${label} ${usd(cost)}`);
    }
  };
  add('itself', ip.own.monthlyCost, 1);
  for (const p of ip.parts) {
    if (p.fate === 'deleted') add(`${partNoun(p.resourceType)} ${p.resourceId}`, p.monthlyCost, 1);
    else if (p.created === true) add(`new ${partNoun(p.resourceType)} ${p.resourceId}`, p.monthlyCost, -1);
  }
  const kept = ip.parts.filter((p) => p.fate === 'kept' && p.created !== true);
  const keptNote = kept.length > 0 ? `; not counted, stays: ${kept.map((p) => `${partNoun(p.resourceType)} ${p.resourceId}`).join(', ')}` : '';
  if (unknown.length > 0) return { savings: null, basis: `Savings unknown: no price for ${unknown.join(', ')}${keptNote}` };
  return { savings: roundCost(micro / 1e6), basis: `${terms.join(' + ').replace(/\+ − /g, '− ')}${keptNote}` };
}

/** Parts of a finding as its handler describes them (with the user's added parts applied). */
export function partsOf(handler: ResourceHandler, finding: Finding, settings: HandlerSettings, options: PartsOptions): ItemParts {
  const ip = handler.parts(finding, settings, options);
  return { own: ip.own, parts: withAdded(ip.parts, options) };
}

/**
 * The scan's use of the model: a finding whose delete would remove a protected part is protected itself (with the
 * part named); its savings are set; and what it bills is split by the Cost Explorer service each piece bills under
 * (`details.costByService`, for the bill reconciliation). Returns a new finding.
 */
export function applyParts(
  handler: ResourceHandler,
  finding: Finding,
  settings: HandlerSettings,
  billingServiceOf: (resourceType: string) => string | undefined,
): Finding {
  const ip = partsOf(handler, finding, settings, { snapshotVolumes: false });
  const { savings } = itemSavings(ip);
  const byPart = protectingPart(ip.parts);
  const reasons = [finding.protectedReason, byPart].filter((r): r is string => r !== null && r !== '');
  const protectedNow = finding.protected || byPart !== null;
  const costByService: Record<string, number> = {};
  const bill = (code: string, cost: number | null): void => {
    if (cost !== null && cost > 0) costByService[code] = roundCost((costByService[code] ?? 0) + cost);
  };
  bill(handler.billingServiceCode, ip.own.monthlyCost);
  // What bills with it: every part but those shared with other resources and those the action would create.
  for (const p of ip.parts) {
    if (p.shared === true || p.created === true) continue;
    bill(billingServiceOf(p.resourceType) ?? handler.billingServiceCode, p.monthlyCost);
  }
  return {
    ...finding,
    monthlySavings: savings,
    protected: protectedNow,
    protectedReason: protectedNow ? reasons.join('; ') || 'Protected' : null,
    details: { ...finding.details, costByService },
  };
}

/**
 * The re-check's use of the model: the parts AWS shows now against the parts the user reviewed. A different set,
 * a different fate (DeleteOnTermination flipped) or a removed part now protected stops the item.
 */
export function compareParts(
  reviewed: readonly Part[],
  current: readonly Part[],
): { status: 'unchanged' } | { status: 'changed'; reason: string } | { status: 'protected'; reason: string } {
  // Parts the user added stay compared by their original fate: AWS reports them as kept.
  const key = (p: Part): string => `${p.resourceType} ${p.resourceId} ${p.added === true ? 'kept' : p.fate}`;
  const real = (ps: readonly Part[]): Part[] => ps.filter((p) => p.created !== true);
  const before = new Set(real(reviewed).map(key));
  const after = new Set(real(current).map(key));
  const gone = [...before].filter((k) => !after.has(k));
  const added = [...after].filter((k) => !before.has(k));
  if (gone.length > 0 || added.length > 0) {
    const describe = (ks: string[]): string => ks.map((k) => k.split(' ').slice(1).join(' ')).join(', ');
    const parts = [gone.length > 0 ? `reviewed but not found now: ${describe(gone)}` : '', added.length > 0 ? `new: ${describe(added)}` : '']
      .filter(Boolean)
      .join('; ');
    return { status: 'changed', reason: `What goes with it changed since the review (${parts})` };
  }
  const removedIds = new Set(reviewed.filter((p) => p.fate === 'deleted').map((p) => p.resourceId));
  const protectedNow = current.find((p) => removedIds.has(p.resourceId) && p.protected);
  if (protectedNow !== undefined) {
    return { status: 'protected', reason: protectedNow.protectedReason ?? `its ${partNoun(protectedNow.resourceType)} ${protectedNow.resourceId} is protected` };
  }
  return { status: 'unchanged' };
}

/** Strips to letters and digits: `cloud_cleaner-Keep` and `cloud-cleaner:keep` compare equal. */
const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

/**
 * Tags that look like the protection tag but do not protect: a key that differs only by punctuation or by one or
 * two letters, or the key itself with the value `false`. Shown in the finding drawer so a typo is caught before a
 * cleanup, not after.
 */
export function protectionNearMisses(tags: Record<string, string>, protectionKey: string): TagNearMissDto[] {
  const want = protectionKey.trim().toLowerCase();
  const out: TagNearMissDto[] = [];
  for (const [key, value] of Object.entries(tags)) {
    const k = key.trim().toLowerCase();
    if (k === want) {
      if (value.trim().toLowerCase() === 'false') out.push({ key, value, why: 'its value is false, which does not protect' });
      continue;
    }
    if (squash(k) === squash(want)) out.push({ key, value, why: `differs from ${protectionKey} in punctuation` });
    else if (editDistance(k, want) <= 2) out.push({ key, value, why: `differs from ${protectionKey} by a letter or two` });
  }
  return out;
}

/**
 * The last guard, run immediately before a handler's delete (dry run or not): the finding's own protection tag and
 * every part it would remove, evaluated with the settings in force. The re-check read AWS just before; this makes
 * sure no delete is ever sent for an item whose reviewed state is protected, whatever a handler does.
 */
export async function guardedDelete(
  handler: ResourceHandler,
  ctx: DeleteContext,
  stored: StoredFinding,
  opts: { dryRun: boolean },
): Promise<DeleteOutcome> {
  return deleteGuard(handler, ctx, stored) ?? handler.delete(ctx, stored, opts);
}

/** The refusal the last guard gives (the finding's own protection tag, or a protected part it removes), or null. */
export function deleteGuard(handler: ResourceHandler, ctx: DeleteContext, stored: StoredFinding): DeleteOutcome | null {
  const own = protectionByTag(stored.tags, ctx.settings.protectionTagKey);
  if (own !== null) return { kind: 'refused', reason: `protected: ${own}` };
  const ip = partsOf(handler, stored, ctx.settings, {
    snapshotVolumes: ctx.snapshotBeforeDelete === true,
    ...(ctx.addedParts ? { added: ctx.addedParts } : {}),
  });
  const byPart = protectingPart(ip.parts);
  return byPart === null ? null : { kind: 'refused', reason: `protected: ${byPart}` };
}

/** Stored JSON helpers for handlers' parts: a number or null, tags or null. */
export function storedNumber(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

export function storedString(x: unknown): string | null {
  return typeof x === 'string' ? x : null;
}

export function storedTags(x: unknown): Record<string, string> | null {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function storedObjects(details: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const v = details[key];
  return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : [];
}

/**
 * An Elastic IP the action leaves allocated (a stopped instance's, a NAT gateway's), from its stored facts: kept,
 * priced, protected by its own tags, and addable when it has an allocation id (only those can be released by id).
 * `note(publicIp)` says why it stays.
 */
export function keptAddressPart(a: Record<string, unknown>, settings: HandlerSettings, note: (publicIp: string | null) => string): Part | null {
  const allocationId = storedString(a['allocationId']);
  const publicIp = storedString(a['publicIp']);
  const id = allocationId ?? publicIp;
  if (id === null) return null;
  const tags = storedTags(a['tags']);
  return {
    resourceType: 'ec2:elastic-ip',
    resourceId: id,
    fate: 'kept',
    note: note(publicIp),
    monthlyCost: storedNumber(a['monthlyCost']),
    costBasis: storedString(a['costBasis']) ?? 'Cost unknown: not priced by this scan',
    tags,
    ...partProtection('ec2:elastic-ip', id, tags, settings),
    addable: allocationId !== null,
  };
}
