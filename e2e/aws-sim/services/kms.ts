/**
 * KMS (scaffold: filled in by the #18 work).
 */
import { jsonService } from '../protocols/json';

export const kmsService = jsonService({
  name: 'KMS',
  signingName: 'kms',
  version: '2014-11-01',
  jsonVersion: '1.1',
  targetPrefix: 'TrentService',
  operations: {},
});
