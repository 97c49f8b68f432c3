/**
 * Secrets Manager (scaffold: filled in by the #18 work).
 */
import { jsonService } from '../protocols/json';

export const secretsManagerService = jsonService({
  name: 'Secrets Manager',
  signingName: 'secretsmanager',
  version: '2017-10-17',
  jsonVersion: '1.1',
  targetPrefix: 'secretsmanager',
  operations: {},
});
