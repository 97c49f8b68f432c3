/**
 * SageMaker (scaffold: filled in by the #18 work).
 */
import { jsonService } from '../protocols/json';

export const sageMakerService = jsonService({
  name: 'SageMaker',
  signingName: 'sagemaker',
  version: '2017-07-24',
  jsonVersion: '1.1',
  targetPrefix: 'SageMaker',
  operations: {},
});
