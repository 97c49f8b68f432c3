/**
 * Redshift over the AWS Query protocol (signing name `redshift`, API 2012-12-01). Placeholder: its operations are added by the
 * service's author (see ../README.md, "Adding a service").
 */
import { awsQueryService } from '../protocols/aws-query';

export const REDSHIFT_VERSION = '2012-12-01';
export const REDSHIFT_XMLNS = 'http://redshift.amazonaws.com/doc/2012-12-01/';

export const redshiftService = awsQueryService({
  name: 'Redshift',
  signingName: 'redshift',
  // A region that is not enabled rejects every service's calls, not only EC2's.
  rejectsAuthFailureRegions: true,
  version: REDSHIFT_VERSION,
  xmlNamespace: REDSHIFT_XMLNS,
  operations: {},
});
