/**
 * The service registry the server dispatches on. It knows nothing about any particular service: each service
 * module declares its signing name, protocol, API version and operations (see ../README.md, "Adding a service"),
 * and is registered here like a handler.
 *
 * Attribution: AWS's front ends route by host; the simulator has one host, so it routes by the SigV4 credential
 * scope's service (the signing name). Several services may share one (ELB and ELBv2 both sign as
 * `elasticloadbalancing`); the one whose protocol recognises the request (its `Version`, target or path) wins, else
 * the first registered. An unsigned request can only reach a service whose request names it (an X-Amz-Target).
 */
import type { SimRequest, SimService } from '../protocols/protocol';
import { autoScalingService } from './autoscaling';
import { cloudWatchService } from './cloudwatch';
import { costExplorerService } from './cost-explorer';
import { elastiCacheService } from './elasticache';
import { ec2Service } from './ec2';
import { elbClassicService } from './elb-classic';
import { elbv2Service } from './elbv2';
import { iamService } from './iam';
import { openSearchService } from './opensearch';
import { organizationsService } from './organizations';
import { logsService } from './logs';
import { s3Service } from './s3';
import { ecrService } from './ecr';
import { secretsManagerService } from './secretsmanager';
import { kmsService } from './kms';
import { eksService } from './eks';
import { sageMakerService } from './sagemaker';
import { rdsService } from './rds';
import { redshiftService } from './redshift';
import { stsService } from './sts';
import { taggingService } from './tagging';

export type { SimOptions, SimService } from '../protocols/protocol';

export interface ServiceRegistry {
  /** Adds a service; returns a function that removes it again. Registering a name twice throws. */
  register(service: SimService): () => void;
  /** In registration order. */
  list(): SimService[];
  get(name: string): SimService | undefined;
  bySigningName(signingName: string): SimService[];
  /** The service a request is for (`signingName` from its credential scope; undefined when unsigned). */
  resolve(req: SimRequest, signingName: string | undefined): SimService | undefined;
}

export function createServiceRegistry(initial: readonly SimService[] = []): ServiceRegistry {
  const services = new Map<string, SimService>();
  const registry: ServiceRegistry = {
    register(service) {
      if (services.has(service.name)) throw new Error(`A service named ${service.name} is already registered`);
      services.set(service.name, service);
      return () => {
        // Only remove what this registration added.
        if (services.get(service.name) === service) services.delete(service.name);
      };
    },
    list: () => [...services.values()],
    get: (name) => services.get(name),
    bySigningName: (signingName) => [...services.values()].filter((s) => s.signingName === signingName),
    resolve(req, signingName) {
      if (signingName === undefined) return [...services.values()].find((s) => s.identifiedByRequest && s.recognises(req));
      const candidates = registry.bySigningName(signingName);
      if (candidates.length <= 1) return candidates[0];
      return candidates.find((s) => s.recognises(req)) ?? candidates[0];
    },
  };
  for (const s of initial) registry.register(s);
  return registry;
}

/** The services every simulator answers. */
export const BUILT_IN_SERVICES: readonly SimService[] = [ec2Service, autoScalingService, stsService, iamService, costExplorerService, elbv2Service, elbClassicService, cloudWatchService,
  rdsService, elastiCacheService, redshiftService, openSearchService, taggingService,
  logsService, s3Service, ecrService, secretsManagerService, kmsService, eksService, sageMakerService, organizationsService];

/** The default registry (`startSimulator()` without `services`): the built-ins, plus whatever is registered. */
export const defaultServices: ServiceRegistry = createServiceRegistry(BUILT_IN_SERVICES);

/** Registers a service with the default registry, for every simulator started afterwards; returns its removal. */
export function registerService(service: SimService): () => void {
  return defaultServices.register(service);
}
