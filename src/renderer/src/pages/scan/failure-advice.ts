/** What a failed scan task means and what to do, keyed by the AWS error code (or the app's code as a fallback). */
import type { ResourceKindDto } from '../../../../shared/dto/kinds';
import { scanPermission } from '../../lib/kinds';

/**
 * The IAM action named in an AWS denial ("… is not authorized to perform: ec2:DescribeVolumes …"); when the denial
 * names none, the first action the task's kind declares a scan needs.
 */
export function permissionFrom(message: string, kind: ResourceKindDto | undefined): string | null {
  const m = /perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message);
  return m?.[1] ?? scanPermission(kind);
}

/** `kind`: the failed task's kind (undefined when the kind list is not loaded: the advice then names no action). */
export function failureAdvice(code: string, message: string, kind: ResourceKindDto | undefined): string {
  switch (code) {
    case 'aws.region_disabled':
    case 'OptInRequired':
      return 'The region is not enabled for this account (not opted in). Enable it under Account settings, or leave it out of the scan.';
    case 'AuthFailure':
      // AWS answers AuthFailure both for a region that is not enabled and for credentials it does not accept there:
      // the code alone does not say which.
      return 'AWS did not accept the credentials in this region: either the region is not enabled for this account (check its status under Account settings) or the credentials are not valid there (a policy or an organization rule denying the region). Scan again without it, or fix the access.';
    case 'UnauthorizedOperation':
    case 'AccessDenied':
    case 'AccessDeniedException':
    case 'aws.access_denied': {
      const p = permissionFrom(message, kind);
      return p ? `Missing permission ${p}: grant it to this identity and scan again.` : 'A permission is missing: grant it to this identity and scan again.';
    }
    case 'RequestLimitExceeded':
    case 'Throttling':
    case 'ThrottlingException':
    case 'aws.throttled':
      return 'AWS throttled the requests; they were retried with back-off until the retry budget ran out. Scan again later, or lower the concurrency in Settings.';
    case 'aws.network':
      return 'The network failed: check the connection and scan again.';
    default:
      return 'Scan again; if it keeps failing, the log has the details.';
  }
}

export interface FailureRow {
  region: string;
  handler: string;
  /** The AWS error code when known (AuthFailure, UnauthorizedOperation…), else the app's code. */
  code: string;
  message: string;
}

export interface FailureGroup {
  region: string;
  code: string;
  rows: FailureRow[];
}

/**
 * One entry per region and error code: a region that refused every kind with the same error is one problem, said
 * once with the kinds it stopped, not repeated per kind. A denial names its own permission, so those stay per kind.
 */
export function groupFailures(failures: readonly FailureRow[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const f of failures) {
    const perKind = /denied|unauthorized|access/i.test(f.code);
    const key = perKind ? `${f.region}|${f.code}|${f.handler}` : `${f.region}|${f.code}`;
    const g = groups.get(key) ?? { region: f.region, code: f.code, rows: [] };
    g.rows.push(f);
    groups.set(key, g);
  }
  return [...groups.values()];
}

