/** Small EC2 helpers shared by the handlers. */
import { awsErrorCode } from '../aws/errors';

/** Service codes (see discovery/service-catalog.ts) the EC2-family handlers cover. */
export const SERVICE_EC2_COMPUTE = 'AmazonEC2';
export const SERVICE_EC2_OTHER = 'AmazonEC2Other';
export const SERVICE_VPC = 'AmazonVPC';
/** Some bills show EBS storage as its own service. */
export const SERVICE_EBS = 'AmazonEBS';

export function awsErrorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** EC2's DryRun answers success as the error `DryRunOperation` (HTTP 412). */
export function isDryRunSuccess(err: unknown): boolean {
  return awsErrorCode(err) === 'DryRunOperation';
}

/** `UnauthorizedOperation` is EC2's "missing permission" (dry run or real call). */
export function isUnauthorized(err: unknown): boolean {
  const code = awsErrorCode(err);
  return code === 'UnauthorizedOperation' || code === 'AccessDenied' || code === 'AccessDeniedException';
}

export function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'AbortError';
}

/** Clamps a requested page size to an API's documented MaxResults bounds. */
export function clampPageSize(requested: number | undefined, min: number, max: number): number {
  const n = requested ?? max;
  return Math.min(max, Math.max(min, Math.floor(n)));
}

/** Splits ids into chunks (explicit-id Describe calls take no MaxResults; keep requests small). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
