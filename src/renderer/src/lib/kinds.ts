/**
 * What the renderer knows about a resource kind, derived from the list each kind declares (handlers:list): labels,
 * console links, the permission a scan needs, plan options, how an action is verified. Pure functions, no React;
 * the renderer keeps no table of kinds of its own (lint forbids resource-type literals in src/renderer).
 */
import type { KindActionDto, KindPlanOptionDto, KindSettingDto, ResourceKindDto, VerificationMethod } from '../../../shared/dto/kinds';
import { consoleUrl } from './console-url';

export type KindList = readonly ResourceKindDto[];

export const NO_KINDS: KindList = Object.freeze([]);

// One index per list object: the list comes from react-query and keeps its identity until it is fetched again.
const indexes = new WeakMap<KindList, ReadonlyMap<string, ResourceKindDto>>();

export function findKind(kinds: KindList, type: string): ResourceKindDto | undefined {
  let index = indexes.get(kinds);
  if (!index) {
    index = new Map(kinds.map((k) => [k.type, k]));
    indexes.set(kinds, index);
  }
  return index.get(type);
}

/** One resource of the kind ("EBS volume"); the raw type when the kind is not (yet) known. */
export function kindNoun(kinds: KindList, type: string): string {
  return findKind(kinds, type)?.noun ?? type;
}

/** The finding kind, plural ("Unattached EBS volumes"); the raw type when the kind is not (yet) known. */
export function kindLabel(kinds: KindList, type: string): string {
  return findKind(kinds, type)?.label ?? type;
}

/** The resource's page in the AWS console, or null when its kind has none (or is unknown). */
export function kindConsoleUrl(kinds: KindList, type: string, region: string, resourceId: string): string | null {
  return consoleUrl(findKind(kinds, type)?.consoleUrl ?? null, region, resourceId);
}

/** A kind's action by id (undefined when the kind or the action is not known). */
export function actionOf(kinds: KindList, type: string, actionId: string): KindActionDto | undefined {
  return findKind(kinds, type)?.actions.find((a) => a.id === actionId);
}

/**
 * What a plan does, in words: "3 to delete", "2 to delete, 1 to stop" (by each action's done label, e.g. Stopped →
 * "to stop"; removing actions count as "delete").
 */
export function planActionsSummary(items: readonly { action: string; actionLabel: string; actionRemoves: boolean }[]): string {
  const counts = new Map<string, number>();
  for (const it of items) {
    const verb = it.actionRemoves ? 'delete' : it.actionLabel.toLowerCase();
    counts.set(verb, (counts.get(verb) ?? 0) + 1);
  }
  if (counts.size === 0) return '0 to delete';
  // Deletes first, then the other actions alphabetically: the same words whatever order the items are in.
  const order = (verb: string): string => (verb === 'delete' ? '' : verb);
  return [...counts.entries()]
    .sort(([a], [b]) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
    .map(([verb, n]) => `${n} to ${verb}`)
    .join(', ');
}

/** The IAM action a scan of this kind needs first (named when AWS's denial does not say which one was missing). */
export function scanPermission(kind: ResourceKindDto | undefined): string | null {
  return kind?.iam.scan[0] ?? null;
}

/** The plan options the selected findings' kinds offer, each once, in the order the kinds are first met. */
export function planOptionsFor(kinds: KindList, types: Iterable<string>): KindPlanOptionDto[] {
  const seen = new Map<string, KindPlanOptionDto>();
  for (const type of types) {
    for (const option of findKind(kinds, type)?.planOptions ?? []) {
      if (!seen.has(option.key)) seen.set(option.key, option);
    }
  }
  return [...seen.values()];
}

export type PlanOptionKey = KindPlanOptionDto['key'];
/** The user's choices; an option never touched is on (a safety snapshot is opted out of, not into). */
export type PlanChoices = Partial<Record<PlanOptionKey, boolean>>;

export function planOptionOn(choices: PlanChoices, key: PlanOptionKey): boolean {
  return choices[key] ?? true;
}

/** The plan options as cleanup:plan takes them. */
export function planInputOptions(choices: PlanChoices): Record<PlanOptionKey, boolean> {
  return { snapshotVolumes: planOptionOn(choices, 'snapshotVolumes') };
}

/** A stable test id for an option's checkbox: `snapshotVolumes` → `snapshot-volumes`. */
export function planOptionTestId(key: PlanOptionKey): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** How the review names the check made before an action: AWS's own dry run, or a re-check plus an IAM simulation. */
export function verificationLabel(method: VerificationMethod): string {
  switch (method) {
    case 'dry-run':
      return 'dry run';
    case 'permission-check':
      return 'checked (re-check + permission check)';
    default: {
      const never: never = method;
      return String(never);
    }
  }
}

/** A kind's setting with the kind that declares it (the settings page groups them by kind). */
export interface KindSettingOf {
  kind: ResourceKindDto;
  setting: KindSettingDto;
}

/** Every kind's settings, each key once (the first kind declaring it wins), in the list's order. */
export function kindSettings(kinds: KindList): KindSettingOf[] {
  const seen = new Set<string>();
  const out: KindSettingOf[] = [];
  for (const kind of kinds) {
    for (const setting of kind.settings) {
      if (seen.has(setting.key)) continue;
      seen.add(setting.key);
      out.push({ kind, setting });
    }
  }
  return out;
}

/** A setting's stored value: the number stored under its key, else the kind's default. */
export function kindSettingValue(setting: KindSettingDto, stored: Readonly<Record<string, unknown>>): number {
  const v = Object.hasOwn(stored, setting.key) ? stored[setting.key] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : setting.default;
}

/** Why a value is not allowed for a setting (its type and range), or null when it is. */
export function kindSettingError(setting: KindSettingDto, value: number): string | null {
  if (!Number.isFinite(value)) return 'Enter a number';
  if (setting.type === 'integer' && !Number.isInteger(value)) return 'Enter a whole number';
  if (value < setting.min || value > setting.max) return `Between ${setting.min} and ${setting.max}`;
  return null;
}
