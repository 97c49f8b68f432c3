/**
 * Savings realised (issue #22): what the cleanups removed, what that was expected to save, and what the account's
 * daily Cost Explorer history shows for the services they billed under, before and after.
 */

/** How a service's bill bears out a cleanup's expected saving. */
export type SavingsVerdict =
  /** The daily cost fell by at least half the expected saving, by more than its usual day-to-day change. */
  | 'confirmed'
  /** Fewer full days after the cleanup than needed are in the stored history (Cost Explorer lags a day or two). */
  | 'waiting'
  /** No stored daily costs of the service before the cleanup to compare with. */
  | 'no-history'
  /** The expected saving is smaller than the service's usual day-to-day change: the bill cannot show it. */
  | 'too-small'
  /** The daily cost did not fall (other usage of the service grew, or it was not billed as priced). */
  | 'not-dropped'
  /** The daily cost fell, but by less than half the expected saving. */
  | 'partly'
  /** No expected figure to compare with (the deleted resources could not be priced): the change is shown as is. */
  | 'unknown-expected';

export interface SavingsWindowDto {
  /** First and last day (YYYY-MM-DD, both included). */
  from: string;
  to: string;
  days: number;
  /** Days among them Cost Explorer still marks as estimated (the latest ones: they may still change). */
  estimatedDays: number;
  /** Average daily cost over the window, USD. */
  dailyAverage: number;
}

/** One service's bill around one cleanup (or several cleanups of that service too close together to tell apart). */
export interface SavingsMeasurementDto {
  serviceCode: string;
  displayName: string;
  /** The cleanups measured together, oldest first. */
  planIds: string[];
  /** The (last) cleanup's day, YYYY-MM-DD (UTC): a partial day, in neither window. */
  cleanupDay: string;
  /** Expected monthly saving billed under this service (known items only); null when every item is unknown. */
  expectedMonthly: number | null;
  /** Items whose saving under this service is unknown (not in expectedMonthly). */
  unknownCount: number;
  /** The full days before the cleanup compared against (up to 7). */
  before: SavingsWindowDto | null;
  /** The full days after it, from the next day, up to the stored history's end (or the next cleanup of the service). */
  after: SavingsWindowDto | null;
  /** (before − after) daily average × the app's month (730 hours); null without both windows. */
  observedMonthly: number | null;
  /** The daily cost's usual change (standard deviation of the before window), USD a day. */
  dailyNoise: number | null;
  /** The verdict; the renderer puts it in words ("confirmed by your bill from 5 Dec": the date is `after.from`). */
  verdict: SavingsVerdict;
  /** The service's daily cost over both windows and the cleanup day, for the picture. */
  series: { date: string; cost: number; estimated: boolean }[];
}

/** One executed cleanup plan: what succeeded, and what it was expected to save. */
export interface SavingsCleanupDto {
  planId: string;
  /** When the plan's execute started (ISO). */
  executedAt: string;
  /** Items whose action succeeded. */
  doneCount: number;
  expectedMonthly: number;
  /** Succeeded items whose saving is unknown. */
  unknownCount: number;
  serviceCodes: string[];
}

export interface SavingsRealisedDto {
  accountId: string;
  /** The first executed cleanup with a succeeded item (ISO), or null: nothing to show. */
  since: string | null;
  cleanups: SavingsCleanupDto[];
  /** Every succeeded item's known expected saving, per month. */
  expectedMonthly: number;
  unknownCount: number;
  /** Of expectedMonthly, what the bill confirms (measurements with verdict `confirmed`), and from which day. */
  confirmedExpectedMonthly: number;
  confirmedFrom: string | null;
  /** The bill's own drop over the confirmed measurements, per month. */
  confirmedObservedMonthly: number;
  measurements: SavingsMeasurementDto[];
  history: {
    /** The last day in the stored cost history (YYYY-MM-DD), or null when none is stored. */
    lastDay: string | null;
    /** When the history was last written (ISO): it only changes when the user refreshes costs. */
    refreshedAt: string | null;
  };
  /** Full days after a cleanup needed before the bill can confirm it. */
  minAfterDays: number;
}
