/**
 * AWS Organizations over JSON 1.1 (signing name and IAM prefix `organizations`, target prefix
 * `AWSOrganizationsV20161128`, API 2016-11-28; a global service signed in us-east-1), answered from the management
 * account's organization (org-state.ts):
 *
 * - ListAccounts: every account of the organization, the management account first, ACTIVE and SUSPENDED (Status and
 *   the newer State), JoinedTimestamp in epoch seconds. MaxResults 1–20 (else InvalidInputException); a page holds at
 *   most `organizationsPageSize` accounts (default 4) whatever MaxResults says — AWS documents that it "might return
 *   fewer results than the maximum even when there are more" — so a caller must follow NextToken (opaque; a foreign
 *   one → InvalidInputException). Only the management account may call it: a member → AccessDeniedException.
 * - DescribeOrganization: from any account of the organization (members too, as AWS allows).
 *
 * An account in no organization → AWSOrganizationsNotInUseException. Denied actions (`organizations:ListAccounts`)
 * answer AccessDeniedException naming the action, before any of these checks.
 */
import { ApiError } from '../api-error';
import type { JsonObject } from '../protocols/json';
import { jsonService } from '../protocols/json';
import type { CallContext } from '../protocols/protocol';
import type { SimOrganization, SimOrgAccount } from '../org-state';

declare module '../protocols/protocol' {
  interface SimOptions {
    /** ListAccounts: accounts per page at most, whatever MaxResults asks (default 4). */
    organizationsPageSize?: number;
  }
}

export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128';
const DEFAULT_PAGE_SIZE = 4;
const epoch = (d: Date): number => Math.floor(d.getTime() / 1000);
const invalidInput = (message: string): ApiError => new ApiError('InvalidInputException', message, 400);

/** The caller's organization, or AWS's answer for an account in none. */
function organizationOf(ctx: CallContext): SimOrganization {
  const org = ctx.account.organization;
  if (!org) throw new ApiError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.', 400);
  return org;
}

function managementOnly(ctx: CallContext): SimOrganization {
  const org = organizationOf(ctx);
  if (org.managementAccountId !== ctx.account.accountId) throw new ApiError('AccessDeniedException', "You don't have permissions to access this resource.", 400);
  return org;
}

function accountOut(a: SimOrgAccount): JsonObject {
  return {
    Id: a.accountId,
    Arn: a.arn,
    Email: a.email,
    Name: a.name,
    Status: a.status,
    State: a.status,
    JoinedMethod: a.joinedMethod,
    JoinedTimestamp: epoch(a.joinedTimestamp),
  };
}

function token(orgId: string, offset: number): string {
  return Buffer.from(JSON.stringify({ org: orgId, o: offset })).toString('base64url');
}

function offsetOf(orgId: string, raw: unknown): number {
  if (raw === undefined || raw === null) return 0;
  try {
    const t = JSON.parse(Buffer.from(String(raw), 'base64url').toString('utf8')) as { org?: string; o?: number };
    if (t.org === orgId && Number.isInteger(t.o) && (t.o ?? -1) >= 0) return t.o ?? 0;
  } catch {
    // fall through
  }
  throw invalidInput('The provided NextToken is not valid.');
}

function listAccounts(ctx: CallContext, input: JsonObject): JsonObject {
  const max = input.MaxResults;
  if (max !== undefined && max !== null) {
    if (typeof max !== 'number' || !Number.isInteger(max)) throw invalidInput(`1 validation error detected: Value '${String(max)}' at 'maxResults' failed to satisfy constraint: Member must be an integer`);
    if (max < 1) throw invalidInput(`1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1`);
    if (max > 20) throw invalidInput(`1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 20`);
  }
  const org = managementOnly(ctx);
  const size = Math.min(typeof max === 'number' ? max : 20, ctx.options.organizationsPageSize ?? DEFAULT_PAGE_SIZE);
  const offset = offsetOf(org.id, input.NextToken);
  const page = org.accounts.slice(offset, offset + size);
  const next = offset + size < org.accounts.length ? token(org.id, offset + size) : undefined;
  return { Accounts: page.map(accountOut), ...(next ? { NextToken: next } : {}) };
}

function describeOrganization(ctx: CallContext): JsonObject {
  const org = organizationOf(ctx);
  const mgmt = org.management;
  return {
    Organization: {
      Id: org.id,
      Arn: org.arn,
      FeatureSet: 'ALL',
      MasterAccountArn: mgmt.arn,
      MasterAccountId: mgmt.accountId,
      MasterAccountEmail: mgmt.email,
      AvailablePolicyTypes: [],
    },
  };
}

export const organizationsService = jsonService({
  name: 'Organizations',
  signingName: 'organizations',
  version: '2016-11-28',
  jsonVersion: '1.1',
  targetPrefix: ORGANIZATIONS_TARGET_PREFIX,
  faultErrors: {
    throttling: new ApiError('TooManyRequestsException', 'AWS Organizations can\'t complete your request because the request rate is too high.', 400),
    serverError: new ApiError('ServiceException', 'AWS Organizations can\'t complete your request because of an internal service error.', 500),
  },
  operations: {
    ListAccounts: (ctx, input) => listAccounts(ctx, input),
    DescribeOrganization: (ctx) => describeOrganization(ctx),
  },
});
