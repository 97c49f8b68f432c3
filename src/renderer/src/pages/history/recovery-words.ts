/** The recovery list's words (pure, unit-tested): retention, the summary line and what a point protects. */
import type { RecoveryPageDto, RecoveryPointDto } from '../../../../shared/dto/recovery';
import { formatCount, formatDay, formatRelative, formatUsd } from '../../lib/format';

/** How long a point is kept: a copy until someone deletes it (billing meanwhile); a scheduled deletion until its date. */
export function retentionText(p: Pick<RecoveryPointDto, 'retention'>, now: number = Date.now()): string {
  const r = p.retention;
  if (r.kind === 'until-deleted') return 'Kept until you delete it: it bills every month';
  return `Restorable until ${formatDay(r.date.slice(0, 10))} (${formatRelative(r.date, now)})`;
}

const plural = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`;

/** The line above the list: what the copies cost each month, and what to do about it. */
export function recoverySummary(page: Pick<RecoveryPageDto, 'copies' | 'copiesMonthlyCost' | 'copiesUnknownCost' | 'restorable'>): string {
  const parts: string[] = [];
  if (page.copies > 0) {
    const known = page.copies - page.copiesUnknownCost;
    const cost =
      page.copiesUnknownCost === 0
        ? `${formatUsd(page.copiesMonthlyCost)}/month`
        : known === 0
          ? 'an unknown amount each month'
          : `${formatUsd(page.copiesMonthlyCost)}/month plus ${plural(page.copiesUnknownCost, 'copy', 'copies')} of unknown cost`;
    parts.push(
      `${page.copies === 1 ? 'This copy costs' : `These ${formatCount(page.copies)} copies cost`} ${cost}; delete ${page.copies === 1 ? 'it' : 'them'} in the console when you no longer need ${page.copies === 1 ? 'it' : 'them'}.`,
    );
  }
  if (page.restorable > 0) {
    parts.push(`${plural(page.restorable, 'scheduled deletion', 'scheduled deletions')} can still be undone before AWS deletes for good.`);
  }
  return parts.join(' ');
}

/** What the resource's plan action did: a copy whose resource is still there bills on top of it. */
export function protectsNote(p: Pick<RecoveryPointDto, 'isCopy' | 'resourceRemoved'>): string | null {
  return p.isCopy && !p.resourceRemoved ? 'The resource is still there: its action did not go through' : null;
}
