/**
 * Resource Groups Tagging API over JSON 1.1 (signing name `tagging`, target prefix
 * `ResourceGroupsTaggingAPI_20170126`). Placeholder: GetResources is added by its author; it lists what each service
 * state's `taggedResources()` returns.
 */
import { jsonService } from '../protocols/json';

export const taggingService = jsonService({
  name: 'Resource Groups Tagging API',
  signingName: 'tagging',
  jsonVersion: '1.1',
  targetPrefix: 'ResourceGroupsTaggingAPI_20170126',
  version: '2017-01-26',
  rejectsAuthFailureRegions: true,
  operations: {},
});
