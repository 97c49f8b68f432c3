import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors';
import { CHANNEL_NAMES } from '../../shared/ipc/contract';
import { serviceMethodName, type AppServices } from './app-services';
import { createRouter } from './router';
import { createTestServices } from './test-services';

const quietLogger = () => ({ error: vi.fn() });

describe('serviceMethodName', () => {
  it('maps every channel to a distinct method', () => {
    expect(serviceMethodName('scans:start')).toBe('scansStart');
    expect(serviceMethodName('cleanup:dry-run')).toBe('cleanupDryRun');
    expect(serviceMethodName('shell:open-external')).toBe('shellOpenExternal');
    expect(new Set(CHANNEL_NAMES.map(serviceMethodName)).size).toBe(CHANNEL_NAMES.length);
  });
});

describe('createRouter', () => {
  it('refuses an unknown channel with validation', async () => {
    const router = createRouter(createTestServices(), quietLogger());
    expect(await router.handle('fs:read', {})).toEqual({ ok: false, error: { code: 'validation', message: 'Unknown channel: fs:read' } });
    expect((await router.handle('__proto__', {})).ok).toBe(false);
    expect((await router.handle('constructor', {})).ok).toBe(false);
  });

  it('passes parsed input (with defaults) to the service and wraps the value', async () => {
    const findingsList = vi.fn(async () => ({ rows: [], total: 0, totalMonthlyCost: 0, unknownCostCount: 0, savings: { monthlySavings: 0, findings: 0, unknownCount: 0, protectedMonthlyCost: 0, protectedFindings: 0 }, limit: 100, offset: 0 }));
    const router = createRouter(createTestServices({ findingsList }), quietLogger());
    const r = await router.handle('findings:list', { regions: ['eu-west-1'] });
    expect(r).toEqual({ ok: true, value: expect.objectContaining({ total: 0 }) });
    expect(findingsList).toHaveBeenCalledWith({ regions: ['eu-west-1'], limit: 100, offset: 0 });
  });

  it('refuses invalid input with validation and a summary of the issues, without calling the service', async () => {
    const cleanupExecute = vi.fn();
    const router = createRouter(createTestServices({ cleanupExecute }), quietLogger());
    const r = await router.handle('cleanup:execute', { planId: 'p', confirmAccountId: 'nope', extra: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('validation');
    expect(r.error.message).toContain('cleanup:execute');
    expect(r.error.message).toContain('confirmAccountId');
    expect(r.error.details?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: ['confirmAccountId'] })]));
    expect(cleanupExecute).not.toHaveBeenCalled();
    expect((await router.handle('app:info', { sneaky: true })).ok).toBe(false);
  });

  it('maps AppError to its dto and anything else to a generic internal error (stack logged, not sent)', async () => {
    const logger = quietLogger();
    const boom = new Error('SQLITE_ERROR near "DROP": secret internals');
    const router = createRouter(
      createTestServices({
        profilesSelect: async () => {
          throw new AppError('aws.sso_expired', 'The SSO session expired. Run aws sso login.', { profile: 'dev' });
        },
        settingsGet: async () => {
          throw boom;
        },
      }),
      logger,
    );
    expect(await router.handle('profiles:select', { profile: 'dev' })).toEqual({
      ok: false,
      error: { code: 'aws.sso_expired', message: 'The SSO session expired. Run aws sso login.', details: { profile: 'dev' } },
    });
    const r = await router.handle('settings:get', undefined);
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: expect.any(String) } });
    expect(JSON.stringify(r)).not.toContain('SQLITE');
    expect(logger.error).toHaveBeenCalledWith('IPC settings:get failed', boom);
  });

  it('forwards service events to subscribers', () => {
    const services: AppServices = createTestServices();
    const router = createRouter(services, quietLogger());
    const seen: unknown[] = [];
    const off = router.onEvent((event, payload) => seen.push([event, payload]));
    services.events.emit('auth:mfa-request', { requestId: 'r1', profile: 'dev', mfaSerial: 'arn:aws:iam::1:mfa/u' });
    off();
    services.events.emit('auth:mfa-request', { requestId: 'r2', profile: 'dev', mfaSerial: 'x' });
    expect(seen).toEqual([['auth:mfa-request', { requestId: 'r1', profile: 'dev', mfaSerial: 'arn:aws:iam::1:mfa/u' }]]);
  });
});
