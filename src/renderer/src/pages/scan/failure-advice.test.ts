import { describe, expect, it } from 'vitest';
import type { ResourceKindDto } from '../../../../shared/dto/kinds';
import { scanPermission } from '../../lib/kinds';
import { failureAdvice, groupFailures, permissionFrom, type FailureRow } from './failure-advice';

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


const row = (region: string, handler: string, code: string, message = `${code} in ${region}`): FailureRow => ({ region, handler, code, message });

describe('groupFailures', () => {
  it('says a region-wide error once with its kinds; keeps denials per kind (each names its own permission)', () => {
    const groups = groupFailures([
      row('eu-west-1', 'ec2:volume', 'AuthFailure'),
      row('eu-west-1', 'ec2:snapshot', 'AuthFailure'),
      row('eu-west-1', 'rds:db-instance', 'AuthFailure'),
      row('us-east-1', 'ec2:volume', 'UnauthorizedOperation', 'not authorized to perform: ec2:DescribeVolumes'),
      row('us-east-1', 'rds:snapshot', 'AccessDenied', 'not authorized to perform: rds:DescribeDBSnapshots'),
      row('us-east-1', 'elb:load-balancer', 'aws.throttled'),
    ]);
    expect(groups.map((g) => [g.region, g.code, g.rows.map((r) => r.handler)])).toEqual([
      ['eu-west-1', 'AuthFailure', ['ec2:volume', 'ec2:snapshot', 'rds:db-instance']],
      ['us-east-1', 'UnauthorizedOperation', ['ec2:volume']],
      ['us-east-1', 'AccessDenied', ['rds:snapshot']],
      ['us-east-1', 'aws.throttled', ['elb:load-balancer']],
    ]);
  });
});

describe('failureAdvice', () => {
  it('does not call an AuthFailure "not opted in": the code does not say whether the region or the credentials are the cause', () => {
    expect(failureAdvice('AuthFailure', '', undefined)).toMatch(/either the region is not enabled .* or the credentials are not valid there/);
    expect(failureAdvice('AuthFailure', '', undefined)).not.toMatch(/not opted in/);
    expect(failureAdvice('OptInRequired', '', undefined)).toMatch(/not opted in/);
  });
});
