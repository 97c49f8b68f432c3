/**
 * S3 (scaffold: filled in by the #18 work).
 */
import { restXmlService } from '../protocols/rest-xml';

export const s3Service = restXmlService({
  name: 'S3',
  signingName: 's3',
  version: '2006-03-01',
  xmlNamespace: 'http://s3.amazonaws.com/doc/2006-03-01/',
  errorStyle: 's3',
  operations: {},
});
