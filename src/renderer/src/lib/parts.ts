/** What happens to the parts of a finding, in words and sums. Pure functions, no React (see components/parts-list). */
import type { PartDto } from '../../../shared/dto/findings';

export type PartFateKey = 'removed' | 'added' | 'created' | 'shared' | 'kept';

export interface PartFate {
  key: PartFateKey;
  label: string;
  color: string;
  /** Why its cost counts, or does not, in the savings. */
  costHint: string;
}

/** The fate of a part as shown everywhere (finding drawer and cleanup review). */
export function partFate(part: PartDto): PartFate {
  if (part.created) return { key: 'created', label: 'created by this cleanup', color: 'blue', costHint: 'Created by the cleanup and kept: its cost is subtracted from the savings' };
  if (part.fate === 'deleted' && part.added) return { key: 'added', label: 'added: removed with it', color: 'red', costHint: 'You added it to this plan: its cost counts in the savings' };
  if (part.fate === 'deleted') return { key: 'removed', label: 'removed with it', color: 'red', costHint: 'Removed with it: its cost counts in the savings' };
  if (part.shared) return { key: 'shared', label: 'stays (shared), keeps billing', color: 'gray', costHint: 'Also used by other resources: it stays, and is not part of this finding' };
  return { key: 'kept', label: 'stays and keeps billing', color: 'gray', costHint: 'Stays and keeps billing: not in the savings' };
}

/** A kept part the user may add to a plan ("Add to this plan"). */
export function isAddable(part: PartDto): boolean {
  return part.fate === 'kept' && part.addable && !part.created;
}

/** The parts that stay and keep billing after the action (not created by it): their known cost and how many are unknown. */
export function keptPartsCost(parts: readonly PartDto[]): { cost: number; unknown: number; count: number } {
  let cost = 0;
  let unknown = 0;
  let count = 0;
  for (const p of parts) {
    if (p.fate !== 'kept' || p.created) continue;
    count++;
    if (p.monthlyCost === null) unknown++;
    else cost += p.monthlyCost;
  }
  return { cost, unknown, count };
}
