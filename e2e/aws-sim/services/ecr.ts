/**
 * ECR (scaffold: filled in by the #18 work).
 */
import { jsonService } from '../protocols/json';

export const ecrService = jsonService({
  name: 'ECR',
  signingName: 'ecr',
  version: '2015-09-21',
  jsonVersion: '1.1',
  targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
  operations: {},
});
