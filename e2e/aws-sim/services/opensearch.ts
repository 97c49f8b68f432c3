/**
 * OpenSearch Service over REST-JSON (signing name `es`, API 2021-01-01). Placeholder: its operations are added by the
 * service's author (see ../README.md, "Adding a service").
 */
import { restJsonService } from '../protocols/rest-json';

export const openSearchService = restJsonService({
  name: 'OpenSearch',
  signingName: 'es',
  version: '2021-01-01',
  rejectsAuthFailureRegions: true,
  operations: {},
});
