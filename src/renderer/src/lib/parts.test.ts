import { describe, expect, it } from 'vitest';
import type { PartDto } from '../../../shared/dto/findings';
import { isAddable, keptPartsCost, partFate } from './parts';

const part = (p: Partial<PartDto>): PartDto => ({
  resourceType: 'kind:a',
  resourceId: 'a-1',
  fate: 'kept',
  note: '',
  monthlyCost: 1,
  costBasis: '',
  tags: null,
  protected: false,
  protectedReason: null,
  addable: false,
  ...p,
});

describe('partFate', () => {
  it('names each fate', () => {
    expect(partFate(part({ fate: 'deleted' })).key).toBe('removed');
    expect(partFate(part({ fate: 'deleted', added: true })).key).toBe('added');
    expect(partFate(part({ fate: 'kept', created: true })).key).toBe('created');
    expect(partFate(part({ fate: 'kept', shared: true })).key).toBe('shared');
    expect(partFate(part({ fate: 'kept' })).key).toBe('kept');
  });
});

describe('isAddable', () => {
  it('only kept, addable parts the action does not create', () => {
    expect(isAddable(part({ addable: true }))).toBe(true);
    expect(isAddable(part({ addable: false }))).toBe(false);
    expect(isAddable(part({ addable: true, fate: 'deleted', added: true }))).toBe(false);
    expect(isAddable(part({ addable: true, created: true }))).toBe(false);
  });
});

describe('keptPartsCost', () => {
  it('sums the known costs of the parts that stay, counts the unknown ones, leaves out removed and created parts', () => {
    const parts = [
      part({ resourceId: 'k1', monthlyCost: 8 }),
      part({ resourceId: 'k2', monthlyCost: null }),
      part({ resourceId: 's1', shared: true, monthlyCost: 2 }),
      part({ resourceId: 'd1', fate: 'deleted', monthlyCost: 100 }),
      part({ resourceId: 'c1', created: true, monthlyCost: 0.4 }),
    ];
    expect(keptPartsCost(parts)).toEqual({ cost: 10, unknown: 1, count: 3 });
  });
});
