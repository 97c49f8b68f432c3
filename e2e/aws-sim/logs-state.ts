/**
 * CloudWatch Logs in the simulated account: each region's state (`sim.state.region('eu-west-1').logs`), the fixture section
 * `resources[region].logs` and its loader. services/logs.ts answers the API from it.
 * (Scaffold: filled in by the #18 work.)
 */
import type { SimTaggedResource } from './state';

/** The fixture section `resources[region].logs`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LogsRegionFixture {}

export class SimLogsRegion {
  /** Every resource of this service in the region with its tags (the tagging API's GetResources). */
  taggedResources(_ctx: { region: string; accountId: string }): SimTaggedResource[] {
    return [];
  }
}

export function loadLogsFixture(
  _into: SimLogsRegion,
  _fx: LogsRegionFixture | undefined,
  _ctx: { region: string; accountId: string; now: Date },
): void {}
