/** The cleanup review's grouping: plan items by kind, then region, each group with its count and savings subtotal. */

export interface GroupableItem {
  resourceType: string;
  region: string;
  savings: number | null;
}

export interface Subtotal {
  count: number;
  /** Sum of the known savings (summed in micro-dollars, as main sums the plan total). */
  savings: number;
  /** Items whose savings are unknown: not in `savings`. */
  unknown: number;
}

export interface RegionGroup<T> extends Subtotal {
  region: string;
  /** Each item with its position in the plan's deletion order (0-based). */
  items: { item: T; index: number }[];
}

export interface KindGroup<T> extends Subtotal {
  resourceType: string;
  regions: RegionGroup<T>[];
}

function subtotal(items: readonly { item: GroupableItem }[]): Subtotal {
  let micro = 0;
  let unknown = 0;
  for (const { item } of items) {
    if (item.savings === null) unknown += 1;
    else micro += Math.round(item.savings * 1e6);
  }
  return { count: items.length, savings: micro / 1e6, unknown };
}

/**
 * Kinds in the order their first item comes in the plan (the plan is in deletion order, which goes kind by kind),
 * regions alphabetically within a kind, items in plan order within a region.
 */
export function groupPlanItems<T extends GroupableItem>(items: readonly T[]): KindGroup<T>[] {
  const byKind = new Map<string, Map<string, { item: T; index: number }[]>>();
  items.forEach((item, index) => {
    let regions = byKind.get(item.resourceType);
    if (!regions) {
      regions = new Map();
      byKind.set(item.resourceType, regions);
    }
    let list = regions.get(item.region);
    if (!list) {
      list = [];
      regions.set(item.region, list);
    }
    list.push({ item, index });
  });
  return [...byKind.entries()].map(([resourceType, regions]) => {
    const regionGroups = [...regions.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([region, list]) => ({ region, items: list, ...subtotal(list) }));
    return { resourceType, regions: regionGroups, ...subtotal(regionGroups.flatMap((r) => r.items)) };
  });
}
