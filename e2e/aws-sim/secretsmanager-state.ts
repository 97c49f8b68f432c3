/**
 * Secrets Manager in the simulated account: each region's state (`sim.state.region('eu-west-1').secretsManager`), the fixture section
 * `resources[region].secretsManager` and its loader. services/secretsmanager.ts answers the API from it.
 * (Scaffold: filled in by the #18 work.)
 */
import type { SimTaggedResource } from './state';

/** The fixture section `resources[region].secretsManager`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SecretsManagerRegionFixture {}

export class SimSecretsManagerRegion {
  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [];
  }
}

export function loadSecretsManagerFixture(
  _into: SimSecretsManagerRegion,
  _fx: SecretsManagerRegionFixture | undefined,
  _ctx: { region: string; accountId: string; now: Date },
): void {}
