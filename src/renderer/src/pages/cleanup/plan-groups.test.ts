import { describe, expect, it } from 'vitest';
import { groupPlanItems } from './plan-groups';

const item = (resourceType: string, region: string, savings: number | null) => ({ resourceType, region, savings });

describe('groupPlanItems', () => {
  it('groups by kind in plan order, then region alphabetically, keeping each item’s plan position', () => {
    const items = [item('snapshot', 'us-east-1', 1), item('volume', 'us-east-1', 2), item('snapshot', 'eu-west-1', 3), item('volume', 'ap-northeast-1', 4), item('snapshot', 'us-east-1', 5)];
    const groups = groupPlanItems(items);
    expect(groups.map((g) => g.resourceType)).toEqual(['snapshot', 'volume']);
    expect(groups[0]!.regions.map((r) => r.region)).toEqual(['eu-west-1', 'us-east-1']);
    expect(groups[0]!.regions[1]!.items.map((i) => i.index)).toEqual([0, 4]);
    expect(groups[1]!.regions.map((r) => [r.region, r.items.map((i) => i.index)])).toEqual([
      ['ap-northeast-1', [3]],
      ['us-east-1', [1]],
    ]);
  });

  it('subtotals the known savings per region and per kind, and counts the unknown apart', () => {
    const groups = groupPlanItems([item('volume', 'us-east-1', 0.1), item('volume', 'us-east-1', 0.2), item('volume', 'eu-west-1', null), item('volume', 'eu-west-1', -2.5)]);
    const [volumes] = groups;
    expect(volumes).toMatchObject({ count: 4, savings: 0.3 - 2.5, unknown: 1 });
    // Summed in micro-dollars: 0.1 + 0.2 is exactly 0.3, not 0.30000000000000004.
    expect(volumes!.regions.find((r) => r.region === 'us-east-1')).toMatchObject({ count: 2, savings: 0.3, unknown: 0 });
    expect(volumes!.regions.find((r) => r.region === 'eu-west-1')).toMatchObject({ count: 2, savings: -2.5, unknown: 1 });
  });

  it('has no groups for an empty plan', () => {
    expect(groupPlanItems([])).toEqual([]);
  });
});
