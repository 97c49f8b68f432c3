/**
 * The organization's accounts, as the management account (or a delegated administrator) sees them: DescribeOrganization
 * (which organization), then ListAccounts page by page. Only ACTIVE accounts are returned: a suspended or closing
 * account cannot be scanned.
 */
import { DescribeOrganizationCommand, OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { AppError } from '../../shared/errors';
import type { RegionClients } from '../aws/clients';
import { awsErrorCode, toAppError } from '../aws/errors';
import type { Partition } from '../aws/types';
import type { ListedAccount } from '../db/repos/org-accounts';

/** Organizations is a global service with one endpoint per partition. */
export function organizationsRegion(partition: Partition | string): string {
  if (partition === 'aws-cn') return 'cn-northwest-1';
  if (partition === 'aws-us-gov') return 'us-gov-west-1';
  return 'us-east-1';
}

export interface OrganizationListing {
  organizationId: string | null;
  managementAccountId: string | null;
  accounts: ListedAccount[];
  /** Accounts listed but not ACTIVE (suspended, pending closure): left out. */
  skipped: number;
  /** ListAccounts pages read. */
  pages: number;
}

export async function listOrganizationAccounts(
  clients: RegionClients,
  o: { partition: Partition | string; accountId: string; profile: string; signal?: AbortSignal; /** ListAccounts MaxResults (1–20, default 20). */ pageSize?: number },
): Promise<OrganizationListing> {
  const client = clients.client(OrganizationsClient, organizationsRegion(o.partition));
  const send = o.signal ? { abortSignal: o.signal } : {};
  try {
    const org = await client.send(new DescribeOrganizationCommand({}), send);
    const accounts: ListedAccount[] = [];
    let skipped = 0;
    let pages = 0;
    for await (const page of paginateListAccounts({ client, pageSize: o.pageSize ?? 20 }, {})) {
      pages++;
      if (o.signal?.aborted) throw new AppError('cancelled', 'Listing the organization was cancelled.');
      for (const a of page.Accounts ?? []) {
        if (!a.Id) continue;
        // `State` replaces `Status` (2025); either says whether the account is usable.
        const state = (a as { State?: string }).State ?? a.Status;
        if (state !== 'ACTIVE') {
          skipped++;
          continue;
        }
        accounts.push({ accountId: a.Id, name: a.Name ?? null, email: a.Email ?? null });
      }
    }
    return { organizationId: org.Organization?.Id ?? null, managementAccountId: org.Organization?.MasterAccountId ?? null, accounts, skipped, pages };
  } catch (err) {
    throw describeListingError(err, o);
  }
}

function describeListingError(err: unknown, o: { accountId: string; profile: string }): AppError {
  const code = awsErrorCode(err);
  const details = { awsCode: code, accountId: o.accountId, profile: o.profile };
  if (code === 'AWSOrganizationsNotInUseException') {
    return new AppError('not_found', `Account ${o.accountId} is not in an AWS Organization: add the accounts to scan by hand (account id and role).`, details, { cause: err });
  }
  if (code === 'AccessDeniedException' || code === 'AccessDenied') {
    return new AppError(
      'aws.access_denied',
      `Profile "${o.profile}" cannot list the organization's accounts: organizations:ListAccounts works only from the management account or a delegated administrator, with that permission. Add the accounts to scan by hand, or use a management-account profile.`,
      { ...details, action: 'organizations:ListAccounts' },
      { cause: err },
    );
  }
  return toAppError(err, { profile: o.profile, service: 'organizations' });
}
