/**
 * CloudWatch Logs (scaffold: filled in by the #18 work).
 */
import { jsonService } from '../protocols/json';

export const logsService = jsonService({
  name: 'CloudWatch Logs',
  signingName: 'logs',
  version: '2014-03-28',
  jsonVersion: '1.1',
  targetPrefix: 'Logs_20140328',
  operations: {},
});
