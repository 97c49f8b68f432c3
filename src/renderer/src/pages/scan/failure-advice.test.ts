import { describe, expect, it } from 'vitest';
import type { ResourceKindDto } from '../../../../shared/dto/kinds';
import { scanPermission } from '../../lib/kinds';
import { failureAdvice, permissionFrom } from './failure-advice';

// A kind defined here, not one of the app's: the advice comes from whatever kind main declares.
const WIDGET: ResourceKindDto = {
  type: 'acme:widget',
  label: 'Idle widgets',
  noun: 'Widget',
  category: 'Test',
  serviceCodes: [],
  consoleUrl: null,
  iam: { scan: ['acme:DescribeWidgets', 'acme:DescribeTags'], action: ['acme:DeleteWidget'] },
  actionLabel: 'Delete',
  verification: { method: 'dry-run', description: '' },
  planOptions: [],
  settings: [],
  detailFields: [],
  actions: [{ id: 'delete', label: 'Delete', doneLabel: 'Deleted', description: 'Delete it', removes: true, iam: ['acme:DeleteWidget'] }],
};
const NO_SCAN_ACTIONS: ResourceKindDto = { ...WIDGET, type: 'acme:gadget', iam: { scan: [], action: [] } };

describe('failure advice', () => {
  const denied = 'UnauthorizedOperation';
  it('names the action AWS named', () => {
    expect(permissionFrom('User x is not authorized to perform: acme:ListThings on resource', WIDGET)).toBe('acme:ListThings');
  });
  it("falls back to the kind's first scan action", () => {
    expect(scanPermission(WIDGET)).toBe('acme:DescribeWidgets');
    expect(failureAdvice(denied, 'You are not authorized.', WIDGET)).toBe('Missing permission acme:DescribeWidgets: grant it to this identity and scan again.');
  });
  it('names no action when the kind declares none or is unknown', () => {
    expect(scanPermission(NO_SCAN_ACTIONS)).toBeNull();
    expect(failureAdvice('AccessDenied', 'denied', undefined)).toBe('A permission is missing: grant it to this identity and scan again.');
  });
  it('is unchanged for other codes', () => {
    expect(failureAdvice('AuthFailure', '', undefined)).toContain('not enabled for this account');
  });
});
