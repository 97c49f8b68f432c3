import { useMemo, useState } from 'react';
import { Alert, Button, Group, List, Modal, Skeleton, Stack, Stepper, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CleanupItemResultDto, CleanupRunDto } from '../../../../shared/dto/cleanup';
import type { PartDto, ResourceDto } from '../../../../shared/dto/findings';
import { api, asAppError } from '../../api/client';
import { useKinds } from '../../api/kinds';
import { useRequiredSession } from '../../api/queries';
import { queryKeys } from '../../api/query-keys';
import { ErrorAlert } from '../../components/error-alert';
import { Money } from '../../components/money';
import { formatCount, formatUsd } from '../../lib/format';
import { planActionsSummary, planInputOptions, planOptionOn, planOptionsFor, type PlanChoices, type PlanOptionKey } from '../../lib/kinds';
import { outcomeOf } from './outcome';
import { PlanReview } from './plan-review';
import { RunProgress } from './run-progress';
import { RunResults } from './run-results';
import { useCleanupProgress } from './use-cleanup-progress';

/** Each step fills the modal's height: its list (the plan, the results) takes what the rest leaves. */
const fill: React.CSSProperties = { flex: 1, minHeight: 0 };

/**
 * Review → dry run → typed confirmation → execution and results. Nothing is deleted before the last step.
 * `onClose` gives the findings deleted, and those the user took out of the plan in the review.
 */
export function CleanupModal({ findings, onClose }: { findings: ResourceDto[]; onClose: (deletedIds: number[], removedIds: number[]) => void }): React.JSX.Element {
  const qc = useQueryClient();
  const session = useRequiredSession();
  const accountId = session?.account.id ?? '';
  const [step, setStep] = useState(0);
  const kinds = useKinds();
  // What the selected findings' kinds offer (a safety snapshot before a volume is deleted…); untouched options are on.
  const [choices, setChoices] = useState<PlanChoices>({});
  const [typed, setTyped] = useState('');
  // Kept parts the user added to the plan ("Add to this plan"), accumulated: each add makes a new plan with all of them.
  const [addParts, setAddParts] = useState<{ findingId: number; resourceId: string }[]>([]);
  // The action chosen per finding (a finding not named gets its kind's default, decided in main).
  const [actionChoices, setActionChoices] = useState<Record<number, string>>({});
  // Findings taken out of the plan in the review ("Remove"): the plan is made again without them.
  const [removed, setRemoved] = useState<number[]>([]);
  const ids = findings
    .map((f) => f.id)
    .filter((id) => !removed.includes(id))
    .sort((a, b) => a - b);
  const inPlan = (findingId: number): boolean => ids.includes(findingId);
  const actions = Object.entries(actionChoices)
    .map(([findingId, action]) => ({ findingId: Number(findingId), action }))
    .filter((a) => inPlan(a.findingId));
  const planParts = addParts.filter((a) => inPlan(a.findingId));
  const options = useMemo(
    () =>
      planOptionsFor(
        kinds,
        findings.filter((f) => !removed.includes(f.id)).map((f) => f.resourceType),
      ),
    [kinds, findings, removed],
  );
  const optionsInput = planInputOptions(choices);
  const chosenOptions = options.filter((o) => planOptionOn(choices, o.key));
  const setChoice = (key: PlanOptionKey, on: boolean): void => setChoices((prev) => ({ ...prev, [key]: on }));

  // A plan is made for these findings, these option choices and these added parts; changing any makes a new plan
  // (the previous one stays on screen, its buttons disabled, until the new one arrives).
  const plan = useQuery({
    queryKey: ['cleanup-plan', accountId, ids, optionsInput, planParts, actions],
    queryFn: () =>
      api().cleanup.plan({ findingIds: ids, ...optionsInput, ...(planParts.length > 0 ? { addParts: planParts } : {}), ...(actions.length > 0 ? { actions } : {}) }),
    staleTime: Infinity,
    gcTime: 0,
    placeholderData: keepPreviousData,
  });
  const replanning = plan.isPlaceholderData || plan.isFetching;
  const planId = plan.data && !plan.isPlaceholderData ? plan.data.id : null;
  const addPart = (findingId: number, part: PartDto): void =>
    setAddParts((prev) => (prev.some((a) => a.findingId === findingId && a.resourceId === part.resourceId) ? prev : [...prev, { findingId, resourceId: part.resourceId }]));
  const progress = useCleanupProgress(planId, plan.data?.items.length ?? 0);

  const refreshAfterChange = (): void => {
    void qc.invalidateQueries({ queryKey: queryKeys.findingsRoot });
    void qc.invalidateQueries({ queryKey: queryKeys.deletionsRoot });
    void qc.invalidateQueries({ queryKey: queryKeys.scansRoot });
    void qc.invalidateQueries({ queryKey: queryKeys.servicesRoot });
  };

  const dryRun = useMutation({
    mutationFn: (id: string) => api().cleanup.dryRun({ planId: id }),
    onMutate: () => progress.reset(),
  });
  const execute = useMutation({
    mutationFn: (id: string) => api().cleanup.execute({ planId: id, confirmAccountId: typed.trim() }),
    onMutate: () => progress.reset(),
    onSuccess: (run: CleanupRunDto) => {
      if (run.status === 'refused') return; // shown in the modal with main's reason
      const deleted = run.items.filter((i) => outcomeOf(i).kind === 'deleted').length;
      notifications.show({
        color: deleted === run.items.length ? 'teal' : 'yellow',
        title: run.status === 'cancelled' ? 'Cleanup cancelled' : 'Cleanup finished',
        message: `${formatCount(deleted)} of ${formatCount(run.items.length)} done; ${formatUsd(run.monthlySavings)}/month saved.`,
      });
    },
    onError: (e) => notifications.show({ color: 'red', title: 'Cleanup failed', message: asAppError(e).message }),
    onSettled: refreshAfterChange,
  });
  // Stops a running dry run or execution between items: items not started end `cancelled`, calls in flight finish.
  const cancel = useMutation({
    mutationFn: (id: string) => api().cleanup.cancel({ planId: id }),
    onError: (e) => {
      // The run may have ended just before the click.
      if (asAppError(e).code !== 'not_found') notifications.show({ color: 'red', title: 'Could not cancel', message: asAppError(e).message });
    },
  });

  // Every item removes its resource (delete, terminate, release): the words say "delete"; otherwise "clean up".
  const allRemove = (plan.data?.items ?? []).every((i) => i.actionRemoves);
  const dryOk = dryRun.data ? dryRun.data.items.filter((i) => outcomeOf(i).kind === 'ok').length : 0;
  const confirmed = typed.trim() === accountId && accountId !== '';
  const deletedIds = execute.data ? execute.data.items.filter((i) => outcomeOf(i).kind === 'deleted').map((i) => i.findingId) : [];
  const running = execute.isPending;
  const notStarted = execute.data ? execute.data.items.filter((i) => outcomeOf(i).kind === 'cancelled').length : 0;

  // While executing, show every planned item with its live phase (results arrive in one piece at the end).
  const liveItems: CleanupItemResultDto[] = (plan.data?.items ?? []).map((it) => ({
    findingId: it.findingId,
    resourceType: it.resourceType,
    region: it.region,
    resourceId: it.resourceId,
    action: it.action,
    recheck: 'unchanged',
    recheckReason: null,
    outcome: progress.byFinding.get(it.findingId)?.outcome ?? null,
  }));

  return (
    <Modal
      opened
      onClose={() => !running && onClose(deletedIds, removed)}
      title="Clean up selected resources"
      size="min(1440px, 96vw)"
      yOffset="2vh"
      closeOnClickOutside={false}
      data-testid="cleanup-modal"
      // Full height: the review of 200 items gets the window, not a small box inside it.
      styles={{
        content: { height: 'calc(100dvh - 2 * var(--modal-y-offset))', display: 'flex', flexDirection: 'column' },
        body: { flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' },
      }}
    >
      <Stepper active={step} size="sm" allowNextStepsSelect={false} mb="md" style={{ flexShrink: 0 }}>
        <Stepper.Step label="Review" description="What goes" />
        <Stepper.Step label="Dry run" description="AWS checks permissions" />
        <Stepper.Step label="Confirm" description="Type the account id" />
        <Stepper.Step label="Delete" description="Results" />
      </Stepper>

      {step === 0 && (
        <Stack style={fill}>
          {plan.isPending && <Skeleton h={200} />}
          {plan.isError && <ErrorAlert error={plan.error} />}
          {plan.isError && addParts.length > 0 && (
            <Group>
              <Button variant="light" onClick={() => setAddParts((prev) => prev.slice(0, -1))} data-testid="undo-add-part">
                Undo the last addition
              </Button>
            </Group>
          )}
          {plan.data && (
            <PlanReview
              plan={plan.data}
              options={options}
              choices={choices}
              onChoice={setChoice}
              onAddPart={addPart}
              replanning={replanning}
              onAction={(findingId, action) => setActionChoices((prev) => ({ ...prev, [findingId]: action }))}
              onRemove={ids.length > 1 ? (findingId) => setRemoved((prev) => (prev.includes(findingId) ? prev : [...prev, findingId])) : null}
              removedCount={removed.length}
              onRestore={() => setRemoved([])}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onClose([], removed)}>
              Cancel
            </Button>
            <Button
              disabled={!planId || !plan.data || plan.data.items.length === 0 || replanning}
              onClick={() => {
                if (!planId) return;
                setStep(1);
                dryRun.mutate(planId);
              }}
              data-testid="start-dry-run"
            >
              Dry run
            </Button>
          </Group>
        </Stack>
      )}

      {step === 1 && (
        <Stack style={fill}>
          {!dryRun.isError && <RunProgress progress={progress} running={dryRun.isPending} mode="dry-run" />}
          {dryRun.isError && <ErrorAlert error={dryRun.error} />}
          {dryRun.data?.status === 'refused' && (
            <Alert color="red" title="Cloud Cleaner refused to run this plan" data-testid="dry-run-refused">
              {dryRun.data.refusedReason ?? 'The plan can no longer run.'}
            </Alert>
          )}
          {dryRun.data && (
            <>
              <Text size="sm" data-testid="dry-run-summary">
                {formatCount(dryOk)} of {formatCount(dryRun.data.items.length)} would be {allRemove ? 'deleted' : 'cleaned up'}, saving{' '}
                <Money value={dryRun.data.monthlySavings} size="sm" fw={700} data-testid="dry-run-savings" /> per month
                {dryRun.data.status === 'cancelled' ? ' (the dry run was cancelled before it finished)' : ''}.
              </Text>
              <RunResults items={dryRun.data.items} testId="dry-run-results" style={fill} />
            </>
          )}
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() => {
                // Closing during a dry run stops it in main too.
                if (dryRun.isPending && planId) cancel.mutate(planId);
                onClose([], removed);
              }}
            >
              Cancel
            </Button>
            <Button disabled={dryOk === 0 || dryRun.data?.status !== 'dry-run'} onClick={() => setStep(2)} data-testid="to-confirm">
              Continue
            </Button>
          </Group>
        </Stack>
      )}

      {step === 2 && (
        <Stack>
          <Alert color="red" title={allRemove ? 'This deletes resources in AWS' : 'This changes resources in AWS'}>
            Deleted resources cannot be restored. Each item is re-checked just before its action runs.
            {!allRemove && plan.data && (
              <Text size="sm" mt={4} data-testid="confirm-actions">
                {planActionsSummary(plan.data.items)}.
              </Text>
            )}
            {chosenOptions.length > 0 && (
              <List size="sm" mt={4} data-testid="chosen-plan-options">
                {chosenOptions.map((o) => (
                  <List.Item key={o.key}>{o.label}</List.Item>
                ))}
              </List>
            )}
          </Alert>
          <TextInput
            label={`Type the account id ${accountId} to confirm`}
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            placeholder="123456789012"
            autoComplete="off"
            error={typed.trim().length === 12 && !confirmed ? 'That is not the account id of this plan' : undefined}
            data-testid="confirm-account-id"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onClose([], removed)}>
              Cancel
            </Button>
            <Button
              color="red"
              disabled={!confirmed}
              onClick={() => {
                if (!planId) return;
                setStep(3);
                execute.mutate(planId);
              }}
              data-testid="execute"
            >
              {allRemove ? 'Delete' : 'Clean up'} {formatCount(dryOk)} resources
            </Button>
          </Group>
        </Stack>
      )}

      {step === 3 && (
        <Stack style={fill}>
          {!execute.isError && execute.data?.status !== 'refused' && <RunProgress progress={progress} running={running} mode="execute" />}
          {running && <RunResults items={liveItems} live={progress.byFinding} testId="execute-progress" style={fill} />}
          {execute.isError && <ErrorAlert error={execute.error} />}
          {execute.data?.status === 'refused' && (
            <Alert color="red" title="Cloud Cleaner refused to run this plan" data-testid="execute-refused">
              {execute.data.refusedReason ?? "The typed account id did not match the plan's account, or the plan can no longer run."} Nothing was deleted.
            </Alert>
          )}
          {execute.data?.status === 'cancelled' && (
            <Alert color="gray" title="Cleanup cancelled" data-testid="execute-cancelled">
              {formatCount(notStarted)} {notStarted === 1 ? 'item was' : 'items were'} not started and {notStarted === 1 ? 'is' : 'are'} unchanged in AWS. Calls already in flight
              when you cancelled finished and are listed below.
            </Alert>
          )}
          {execute.data && (
            <>
              <Text size="sm" data-testid="execute-summary">
                {formatCount(deletedIds.length)} {allRemove ? 'deleted' : 'done'}, {formatCount(execute.data.items.length - deletedIds.length)} not {allRemove ? 'deleted' : 'done'}
                {notStarted > 0 ? ` (${formatCount(notStarted)} cancelled)` : ''} · saving{' '}
                <Money value={execute.data.monthlySavings} size="sm" fw={700} data-testid="execute-savings" /> per month (only what was deleted).
              </Text>
              <RunResults items={execute.data.items} testId="execute-results" style={fill} />
            </>
          )}
          <Group justify="flex-end">
            {running && (
              <Button
                variant="default"
                color="red"
                onClick={() => planId && cancel.mutate(planId)}
                loading={cancel.isPending}
                disabled={cancel.isSuccess}
                data-testid="cancel-cleanup"
              >
                {cancel.isSuccess ? 'Cancelling…' : 'Cancel remaining'}
              </Button>
            )}
            <Button onClick={() => onClose(deletedIds, removed)} disabled={running} data-testid="close-cleanup">
              Close
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
