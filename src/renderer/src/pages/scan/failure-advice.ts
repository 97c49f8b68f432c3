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
    case 'AuthFailure':
    case 'aws.region_disabled':
    case 'OptInRequired':
      return 'The region is not enabled for this account (not opted in). Enable it under Account settings, or leave it out of the scan.';
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
