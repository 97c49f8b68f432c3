/**
 * Elastic Load Balancing v2 over the AWS Query protocol (signing name `elasticloadbalancing`, API 2015-12-01).
 * Shares its signing name with Classic ELB (services/elb-classic.ts); told apart by `Version`.
 */
import { awsQueryService } from '../protocols/aws-query';

export const ELBV2_XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';
export const ELBV2_VERSION = '2015-12-01';

export const elbv2Service = awsQueryService({
  name: 'Elastic Load Balancing v2',
  signingName: 'elasticloadbalancing',
  version: ELBV2_VERSION,
  xmlNamespace: ELBV2_XMLNS,
  operations: {},
});
