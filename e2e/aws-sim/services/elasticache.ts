/**
 * ElastiCache over the AWS Query protocol (signing name `elasticache`, API 2015-02-02). Placeholder: its operations are added by the
 * service's author (see ../README.md, "Adding a service").
 */
import { awsQueryService } from '../protocols/aws-query';

export const ELASTICACHE_VERSION = '2015-02-02';
export const ELASTICACHE_XMLNS = 'http://elasticache.amazonaws.com/doc/2015-02-02/';

export const elastiCacheService = awsQueryService({
  name: 'ElastiCache',
  signingName: 'elasticache',
  // A region that is not enabled rejects every service's calls, not only EC2's.
  rejectsAuthFailureRegions: true,
  version: ELASTICACHE_VERSION,
  xmlNamespace: ELASTICACHE_XMLNS,
  operations: {},
});
