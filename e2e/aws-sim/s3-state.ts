/**
 * S3 in the simulated account: each region's state (`sim.state.region('eu-west-1').s3`), the fixture section
 * `resources[region].s3` and its loader. services/s3.ts answers the API from it.
 * (Scaffold: filled in by the #18 work.)
 */
import type { SimTaggedResource } from './state';

/** The fixture section `resources[region].s3`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface S3RegionFixture {}

export class SimS3Region {
  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [];
  }
}

export function loadS3Fixture(
  _into: SimS3Region,
  _fx: S3RegionFixture | undefined,
  _ctx: { region: string; accountId: string; now: Date },
): void {}
