/** Words and colours of the Accounts page and the header's switcher (pure; tested in account-words.test.ts). */
import type { OrgAccountDto, OrgAccountSource, OrgScanStatus } from '../../../../shared/dto/org';

export function sourceLabel(source: OrgAccountSource): string {
  switch (source) {
    case 'home':
      return 'this profile';
    case 'organization':
      return 'organization';
    case 'manual':
      return 'added by you';
  }
}

/** Colours of scan statuses: the run's own (queued … cancelled) and the scans table's (running, interrupted…). */
export function scanStatusColor(status: OrgScanStatus | string): string {
  switch (status) {
    case 'succeeded':
      return 'teal';
    case 'partial':
      return 'yellow';
    case 'failed':
      return 'red';
    case 'running':
    case 'connecting':
      return 'blue';
    default:
      return 'gray';
  }
}

/** An account as people name it: "prod (111122223333)", or the id alone when it has no name. */
export function accountLabel(a: { accountId: string; name: string | null }): string {
  return a.name ? `${a.name} (${a.accountId})` : a.accountId;
}

/** The role the app assumes in an account, in words: the override, or "default (Name)". Null for the home account. */
export function roleWords(a: Pick<OrgAccountDto, 'source' | 'roleName' | 'roleOverride'>, defaultRoleName: string): string | null {
  if (a.source === 'home') return null;
  return a.roleOverride ? a.roleOverride : `${a.roleName ?? defaultRoleName} (default)`;
}

/** "3 of 12 tasks" while running; empty before the account's scan has tasks. */
export function taskWords(done: number, total: number): string {
  return total > 0 ? `${done} of ${total} tasks` : '';
}
