/**
 * SageMaker in the simulated account: each region's state (`sim.state.region('eu-west-1').sagemaker`), the fixture section
 * `resources[region].sagemaker` and its loader. services/sagemaker.ts answers the API from it.
 * (Scaffold: filled in by the #18 work.)
 */
import type { SimTaggedResource } from './state';

/** The fixture section `resources[region].sagemaker`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SageMakerRegionFixture {}

export class SimSageMakerRegion {
  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [];
  }
}

export function loadSageMakerFixture(
  _into: SimSageMakerRegion,
  _fx: SageMakerRegionFixture | undefined,
  _ctx: { region: string; accountId: string; now: Date },
): void {}
