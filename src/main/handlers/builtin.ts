import { collectPriceKeys } from '../pricing/price-key';
import type { PriceKey } from '../pricing/types';
import { orphanedSnapshotsHandler } from './ec2-snapshots-orphaned';
import { unusedImagesHandler } from './ec2-images-unused';
import { stoppedInstancesHandler } from './ec2-instances-stopped';
import { unattachedVolumesHandler } from './ec2-volumes-unattached';
import { idleElasticIpsHandler } from './ec2-elastic-ips-idle';
import { idleNatGatewaysHandler } from './ec2-nat-gateways-idle';
import { unusedVpcEndpointsHandler } from './ec2-vpc-endpoints-idle';
import { loadBalancersHandler } from './elb-load-balancers';
import { elastiCacheClustersHandler } from './elasticache-clusters';
import { openSearchDomainsHandler } from './opensearch-domains';
import { dbClustersHandler } from './rds-clusters';
import { dbInstancesHandler } from './rds-instances';
import { rdsSnapshotsHandler } from './rds-snapshots';
import { redshiftClustersHandler } from './redshift-clusters';
import { deadLogGroupsHandler, logGroupsNoRetentionHandler } from './logs-groups';
import { s3IncompleteUploadsHandler } from './s3-incomplete-uploads';
import { ecrImagesHandler } from './ecr-images';
import { unusedSecretsHandler } from './secrets-unused';
import { emptyEksClustersHandler } from './eks-clusters';
import { disabledKmsKeysHandler } from './kms-keys';
import { idleSageMakerEndpointsHandler } from './sagemaker-endpoints';
import { sageMakerNotebooksHandler } from './sagemaker-notebooks';
import type { ResourceHandler } from './handler';
import type { HandlerRegistry } from './registry';

/** The kinds that ship with the app. */
export const BUILTIN_HANDLERS: readonly ResourceHandler[] = [
  stoppedInstancesHandler,
  unusedImagesHandler,
  orphanedSnapshotsHandler,
  unattachedVolumesHandler,
  idleElasticIpsHandler,
  idleNatGatewaysHandler,
  unusedVpcEndpointsHandler,
  loadBalancersHandler,
  dbInstancesHandler,
  dbClustersHandler,
  elastiCacheClustersHandler,
  redshiftClustersHandler,
  openSearchDomainsHandler,
  rdsSnapshotsHandler,
  logGroupsNoRetentionHandler,
  deadLogGroupsHandler,
  s3IncompleteUploadsHandler,
  ecrImagesHandler,
  unusedSecretsHandler,
  emptyEksClustersHandler,
  idleSageMakerEndpointsHandler,
  sageMakerNotebooksHandler,
  disabledKmsKeysHandler,
];

/** The price keys the shipped kinds declare (a registry's own list is `priceKeysOf(registry)`). */
export function builtinPriceKeys(): PriceKey[] {
  return collectPriceKeys(BUILTIN_HANDLERS.map((h) => h.priceKeys));
}

/**
 * Registers the handlers that ship with the app; returns one function that unregisters them all.
 * All or nothing: when one type is already taken, the ones added so far are removed again before rethrowing.
 */
export function registerBuiltinHandlers(registry: HandlerRegistry): () => void {
  const unregister: (() => void)[] = [];
  const unregisterAll = (): void => {
    for (const u of unregister.splice(0)) u();
  };
  try {
    for (const h of BUILTIN_HANDLERS) unregister.push(registry.register(h));
  } catch (err) {
    unregisterAll();
    throw err;
  }
  return unregisterAll;
}
