import { describe, expect, it } from 'vitest';
import type { DeletionPlanItemDto } from '../../../../shared/dto/cleanup';
import type { ResourceKindDto } from '../../../../shared/dto/kinds';
import { formatPlanTime, planLabel, planOutcomeSummary, planSteps } from './deletion-plan-words';

const DB = {
  type: 'acme:db',
  actions: [
    { id: 'delete', label: 'Delete', doneLabel: 'Deleted', description: '', removes: true, iam: [] },
    { id: 'stop', label: 'Stop', doneLabel: 'Stopped', description: '', removes: false, iam: [] },
  ],
} as unknown as ResourceKindDto;

const item = (outcome: DeletionPlanItemDto['outcome'], action: string | null = 'delete'): DeletionPlanItemDto => ({
  findingId: 1,
  resourceType: 'acme:db',
  region: 'us-east-1',
  resourceId: 'db-1',
  name: null,
  action,
  actionLabel: null,
  outcome,
  message: null,
  errorCode: null,
  savings: null,
  calls: 1,
});

describe('deletion plan words', () => {
  it('labels a plan by kind, local time and size', () => {
    const at = new Date(2026, 11, 7, 0, 12).toISOString();
    expect(formatPlanTime(at, new Date(2026, 11, 9))).toBe('7 Dec, 00:12');
    expect(formatPlanTime(at, new Date(2027, 0, 2))).toBe('7 Dec 2026, 00:12');
    expect(planLabel({ executedAt: at, createdAt: at, itemCount: 5 }, new Date(2026, 11, 9))).toBe('Cleanup of 7 Dec, 00:12 · 5 items');
    expect(planLabel({ executedAt: null, createdAt: at, itemCount: 1 }, new Date(2026, 11, 9))).toBe('Dry run of 7 Dec, 00:12 · 1 item');
  });

  it('counts outcomes by the action each item ran, what ran first', () => {
    const items = [item('refused'), item('done'), item('done', 'stop'), item('done'), item('done'), item('failed', 'stop')];
    expect(planOutcomeSummary([DB], items)).toBe('3 deleted, 1 stopped, 1 failed, 1 refused');
    expect(planOutcomeSummary([DB], [item('dry-run-ok'), item('dry-run-ok')])).toBe('2 passed the dry run');
    // A kind the renderer does not know: a delete still reads "deleted", another action "done".
    expect(planOutcomeSummary([], [item('done'), item('done', 'pause')])).toBe('1 deleted, 1 done');
  });

  it('a dry run and its execute read as steps of one plan', () => {
    const at = '2026-12-07T00:12:00.000Z';
    expect(planSteps({ dryRun: { at, passed: 2 }, executedAt: at, status: 'completed', itemCount: 2 })).toBe('Dry run OK, then executed');
    expect(planSteps({ dryRun: { at, passed: 1 }, executedAt: at, status: 'completed', itemCount: 2 })).toBe('Dry run: 1 of 2 passed, then executed');
    expect(planSteps({ dryRun: { at, passed: 2 }, executedAt: null, status: 'dry-run', itemCount: 2 })).toBe('Dry run OK, not executed');
    expect(planSteps({ dryRun: { at, passed: 2 }, executedAt: at, status: 'refused', itemCount: 2 })).toBe(
      'Dry run OK, then the typed account id did not match: nothing was changed',
    );
    expect(planSteps({ dryRun: null, executedAt: at, status: 'cancelled', itemCount: 2 })).toBe('Executed (cancelled)');
  });
});
