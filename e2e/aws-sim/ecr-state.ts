/**
 * ECR in the simulated account: each region's state (`sim.state.region('eu-west-1').ecr`), the fixture section
 * `resources[region].ecr` and its loader. services/ecr.ts answers the API from it.
 * (Scaffold: filled in by the #18 work.)
 */
import type { SimTaggedResource } from './state';

/** The fixture section `resources[region].ecr`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EcrRegionFixture {}

export class SimEcrRegion {
  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [];
  }
}

export function loadEcrFixture(
  _into: SimEcrRegion,
  _fx: EcrRegionFixture | undefined,
  _ctx: { region: string; accountId: string; now: Date },
): void {}
