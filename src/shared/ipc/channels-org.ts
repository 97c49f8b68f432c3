/**
 * The many-accounts channels (issue #20), spread into THE contract (contract.ts). Same rules as there: `domain:action`
 * names, a zod input schema, an explicit output type.
 */
import {
  orgAccountInput,
  orgAccountSaveInput,
  orgDefaultRoleInput,
  orgRunInput,
  orgScanStartInput,
  type OrgAccountsDto,
  type OrgRollupDto,
} from '../dto/org';
import type { SessionDto } from '../dto/aws';
import { channel, noInput } from './channel-def';

export const orgChannels = {
  /** The accounts stored for the selected profile's account (no AWS call). */
  'org:accounts': channel<OrgAccountsDto>()(noInput),
  /** Lists the organization again (organizations:ListAccounts, paged; ACTIVE accounts only), then as org:accounts. */
  'org:refresh': channel<OrgAccountsDto>()(noInput),
  /** Adds an account by hand, or sets an account's role (null: the default role). */
  'org:account-save': channel<OrgAccountsDto>()(orgAccountSaveInput),
  /** Removes an account the user added by hand (organization accounts come back with the next listing). */
  'org:account-remove': channel<OrgAccountsDto>()(orgAccountInput),
  /** The role assumed where an account has no override (default OrganizationAccountAccessRole). */
  'org:default-role-set': channel<OrgAccountsDto>()(orgDefaultRoleInput),
  /** Scans many accounts at once; returns at once, progress comes as org:progress (and scans:progress per account). */
  'org:scan-start': channel<{ runId: string }>()(orgScanStartInput),
  'org:scan-cancel': channel<void>()(orgRunInput),
  /** Waste over every account of the list: per account, per kind, per region, and the top items. */
  'org:rollup': channel<OrgRollupDto>()(noInput),
  /**
   * Switches the account the pages show (findings, history, dashboard, cleanup): a member by assuming its role, or
   * the home account. Cleanup plans stay per account; the account is asked again before anything is deleted.
   */
  'org:view': channel<SessionDto>()(orgAccountInput),
} as const;
