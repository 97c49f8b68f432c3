/**
 * RDS over the AWS Query protocol (signing name `rds`, API 2014-10-31). Placeholder: its operations are added by the
 * service's author (see ../README.md, "Adding a service").
 */
import { awsQueryService } from '../protocols/aws-query';

export const RDS_VERSION = '2014-10-31';
export const RDS_XMLNS = 'http://rds.amazonaws.com/doc/2014-10-31/';

export const rdsService = awsQueryService({
  name: 'RDS',
  signingName: 'rds',
  // A region that is not enabled rejects every service's calls, not only EC2's.
  rejectsAuthFailureRegions: true,
  version: RDS_VERSION,
  xmlNamespace: RDS_XMLNS,
  operations: {},
});
