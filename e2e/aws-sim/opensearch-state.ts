/**
 * OpenSearch in the simulator: the region's state, its fixture section and its loader (placeholder: filled in by the
 * OpenSearch service's author). `taggedResources()` feeds the Resource Groups Tagging API (services/tagging.ts).
 */
import type { SimTaggedResource } from './state';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in with the service
export interface OpenSearchRegionFixture {}

export class SimOpenSearchRegion {
  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [];
  }
}

export function loadOpenSearchFixture(_into: SimOpenSearchRegion, _fx: OpenSearchRegionFixture | undefined, _ctx: { region: string; accountId: string; now: Date }): void {}
