/**
 * KMS in the simulated account: each region's state (`sim.state.region('eu-west-1').kms`), the fixture section
 * `resources[region].kms` and its loader. services/kms.ts answers the API from it.
 * (Scaffold: filled in by the #18 work.)
 */
import type { SimTaggedResource } from './state';

/** The fixture section `resources[region].kms`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface KmsRegionFixture {}

export class SimKmsRegion {
  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [];
  }
}

export function loadKmsFixture(
  _into: SimKmsRegion,
  _fx: KmsRegionFixture | undefined,
  _ctx: { region: string; accountId: string; now: Date },
): void {}
