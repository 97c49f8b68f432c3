/**
 * Classic Elastic Load Balancing over the AWS Query protocol (signing name `elasticloadbalancing`, API 2012-06-01).
 * Shares its signing name with ELBv2 (services/elbv2.ts); told apart by `Version`.
 */
import { awsQueryService } from '../protocols/aws-query';

export const ELB_CLASSIC_XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/';
export const ELB_CLASSIC_VERSION = '2012-06-01';

export const elbClassicService = awsQueryService({
  name: 'Elastic Load Balancing',
  signingName: 'elasticloadbalancing',
  version: ELB_CLASSIC_VERSION,
  xmlNamespace: ELB_CLASSIC_XMLNS,
  operations: {},
});
