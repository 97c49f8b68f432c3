import { describe, expect, it } from 'vitest';
import type { ResourceHandler, ResourceType } from './handler';
import { createHandlerRegistry } from './registry';

function fakeHandler(type: ResourceType, deleteOrder: number): ResourceHandler {
  return {
    type,
    label: type,
    category: 'Compute',
    serviceCodes: [],
    deleteOrder,
    async *scan() {},
    recheck: () => Promise.reject(new Error('not used')),
    delete: () => Promise.reject(new Error('not used')),
    parts: () => ({ own: { monthlyCost: null, costBasis: '' }, parts: [] }),
    billingServiceCode: 'AmazonEC2Other',
    noun: type,
    consoleUrl: null,
    iam: { scan: [], action: [] },
    actionLabel: 'Delete',
    verification: { method: 'dry-run', description: '' },
    detailFields: [],
  };
}

describe('createHandlerRegistry', () => {
  it('registers, finds and lists handlers in delete order', () => {
    const r = createHandlerRegistry();
    const volume = fakeHandler('ec2:volume', 40);
    const instance = fakeHandler('ec2:instance', 10);
    const snapshot = fakeHandler('ec2:snapshot', 30);
    r.register(volume);
    r.register(instance);
    r.register(snapshot);
    expect(r.has('ec2:volume')).toBe(true);
    expect(r.has('ec2:image')).toBe(false);
    expect(r.get('ec2:instance')).toBe(instance);
    expect(r.get('ec2:image')).toBeUndefined();
    expect(r.list().map((h) => h.type)).toEqual(['ec2:instance', 'ec2:snapshot', 'ec2:volume']);
  });

  it('refuses a second handler for the same type', () => {
    const r = createHandlerRegistry();
    r.register(fakeHandler('ec2:volume', 40));
    expect(() => r.register(fakeHandler('ec2:volume', 41))).toThrow(/ec2:volume/);
    expect(r.list()).toHaveLength(1);
  });

  it('unregister removes the handler and allows registering the type again', () => {
    const r = createHandlerRegistry();
    const first = fakeHandler('ec2:volume', 40);
    const unregister = r.register(first);
    unregister();
    expect(r.has('ec2:volume')).toBe(false);
    expect(r.list()).toEqual([]);
    const second = fakeHandler('ec2:volume', 40);
    r.register(second);
    // A stale unregister must not remove the handler registered after it.
    unregister();
    expect(r.get('ec2:volume')).toBe(second);
  });

  it('breaks delete-order ties by type so the order is stable', () => {
    const r = createHandlerRegistry();
    r.register(fakeHandler('ec2:volume', 5));
    r.register(fakeHandler('ec2:elastic-ip', 5));
    expect(r.list().map((h) => h.type)).toEqual(['ec2:elastic-ip', 'ec2:volume']);
  });

  it('registries are independent', () => {
    const a = createHandlerRegistry();
    const b = createHandlerRegistry();
    a.register(fakeHandler('ec2:image', 20));
    expect(b.has('ec2:image')).toBe(false);
  });
});
