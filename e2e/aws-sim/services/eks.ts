/**
 * EKS (scaffold: filled in by the #18 work).
 */
import { restJsonService } from '../protocols/rest-json';

export const eksService = restJsonService({
  name: 'EKS',
  signingName: 'eks',
  version: '2017-11-01',
  operations: {},
});
