/**
 * EKS in the simulated account: each region's state (`sim.state.region('eu-west-1').eks`), the fixture section
 * `resources[region].eks` and its loader. services/eks.ts answers the API from it.
 * (Scaffold: filled in by the #18 work.)
 */
import type { SimTaggedResource } from './state';

/** The fixture section `resources[region].eks`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EksRegionFixture {}

export class SimEksRegion {
  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [];
  }
}

export function loadEksFixture(
  _into: SimEksRegion,
  _fx: EksRegionFixture | undefined,
  _ctx: { region: string; accountId: string; now: Date },
): void {}
