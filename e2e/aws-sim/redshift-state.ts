/**
 * Redshift in the simulator: the region's state, its fixture section and its loader (placeholder: filled in by the
 * Redshift service's author). `taggedResources()` feeds the Resource Groups Tagging API (services/tagging.ts).
 */
import type { SimTaggedResource } from './state';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in with the service
export interface RedshiftRegionFixture {}

export class SimRedshiftRegion {
  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [];
  }
}

export function loadRedshiftFixture(_into: SimRedshiftRegion, _fx: RedshiftRegionFixture | undefined, _ctx: { region: string; accountId: string; now: Date }): void {}
