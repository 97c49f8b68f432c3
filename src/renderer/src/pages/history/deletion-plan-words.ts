/**
 * The deletion history's words for a plan: its label ("Cleanup of 7 Dec, 00:12 · 5 items"), its steps ("Dry run OK,
 * then executed") and its outcome ("3 deleted, 1 stopped, 1 refused", by each kind's action doneLabel). Pure.
 */
import { assertNever } from '../../../../shared/assert-never';
import type { DeletionItemOutcome, DeletionPlanDto, DeletionPlanItemDto } from '../../../../shared/dto/cleanup';
import { actionOf, type KindList } from '../../lib/kinds';

const dayTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayTimeYear = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "7 Dec, 00:12" (the year only when it is not this year's). */
export function formatPlanTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (d.getFullYear() === now.getFullYear() ? dayTime : dayTimeYear).format(d);
}

const timeOfDay = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** A call's time within its plan's runs: "00:12:03" (the full date is on hover). */
export function formatCallTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : timeOfDay.format(d);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "Cleanup" when the plan was executed (even if the confirmation refused it), else "Dry run". */
export function planKind(p: Pick<DeletionPlanDto, 'executedAt'>): 'Cleanup' | 'Dry run' {
  return p.executedAt !== null ? 'Cleanup' : 'Dry run';
}

export function planLabel(p: Pick<DeletionPlanDto, 'executedAt' | 'createdAt' | 'itemCount'>, now?: Date): string {
  return `${planKind(p)} of ${formatPlanTime(p.createdAt, now)} · ${plural(p.itemCount, 'item')}`;
}

/** What a plan's runs were, as steps: "Dry run OK, then executed", "Dry run: 2 of 3 passed, then executed", … */
export function planSteps(p: Pick<DeletionPlanDto, 'dryRun' | 'executedAt' | 'status' | 'itemCount'>): string {
  const dry =
    p.dryRun === null ? null : p.dryRun.passed === p.itemCount ? 'Dry run OK' : `Dry run: ${p.dryRun.passed} of ${p.itemCount} passed`;
  const ending =
    p.status === 'cancelled' ? ' (cancelled)' : p.status === 'interrupted' ? ' (interrupted: the app stopped during the run)' : p.status === 'running' ? ' (running)' : '';
  if (p.executedAt === null) return `${dry ?? 'Dry run'}, not executed${ending}`;
  if (p.status === 'refused') return `${dry ? `${dry}, then the` : 'The'} typed account id did not match: nothing was changed`;
  return `${dry ? `${dry}, then executed` : 'Executed'}${ending}`;
}

/** An item's outcome in a word or two: its action's doneLabel when it ran ("deleted", "stopped", "retention set"). */
export function itemOutcomeWord(kinds: KindList, it: Pick<DeletionPlanItemDto, 'outcome' | 'resourceType' | 'action'>): string {
  switch (it.outcome) {
    case 'done': {
      const label = it.action === null ? undefined : actionOf(kinds, it.resourceType, it.action)?.doneLabel;
      return (label ?? (it.action === null || it.action === 'delete' ? 'Deleted' : 'Done')).toLowerCase();
    }
    case 'dry-run-ok':
      return 'passed the dry run';
    case 'not-run':
      return 'not run';
    case 'refused':
      return 'refused';
    case 'failed':
      return 'failed';
    case 'unauthorized':
      return 'not authorized';
    case 'pending':
      return 'no answer (unknown)';
    default:
      return assertNever(it.outcome);
  }
}

/** Outcomes in the order a summary reads best: what ran, then what passed, then what did not. */
const ORDER: readonly DeletionItemOutcome[] = ['done', 'dry-run-ok', 'pending', 'failed', 'unauthorized', 'refused', 'not-run'];

/** "3 deleted, 1 stopped, 1 refused": the items counted by outcome, a ran item by its action's doneLabel. */
export function planOutcomeSummary(kinds: KindList, items: readonly DeletionPlanItemDto[]): string {
  const counts = new Map<string, { n: number; rank: number }>();
  for (const it of items) {
    const word = itemOutcomeWord(kinds, it);
    const c = counts.get(word);
    counts.set(word, { n: (c?.n ?? 0) + 1, rank: ORDER.indexOf(it.outcome) });
  }
  if (counts.size === 0) return 'no items';
  return [...counts.entries()]
    .sort(([wa, a], [wb, b]) => a.rank - b.rank || b.n - a.n || (wa < wb ? -1 : wa > wb ? 1 : 0))
    .map(([word, { n }]) => `${n} ${word}`)
    .join(', ');
}

export const ITEM_OUTCOME_COLOR: Record<DeletionItemOutcome, string> = {
  done: 'teal',
  'dry-run-ok': 'cyan',
  'not-run': 'gray',
  refused: 'orange',
  failed: 'red',
  unauthorized: 'red',
  pending: 'blue',
};

/** The plan's colour at a glance: red when anything failed or is unknown, orange when something was refused. */
export function planColor(p: Pick<DeletionPlanDto, 'counts'>): string {
  const c = p.counts;
  if (c.failed + c.unauthorized + c.pending > 0) return 'red';
  if (c.refused > 0) return 'orange';
  if (c.done > 0) return 'teal';
  return 'cyan';
}
