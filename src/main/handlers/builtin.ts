import { orphanedSnapshotsHandler } from './ec2-snapshots-orphaned';
import { unusedImagesHandler } from './ec2-images-unused';
import { stoppedInstancesHandler } from './ec2-instances-stopped';
import { unattachedVolumesHandler } from './ec2-volumes-unattached';
import { idleElasticIpsHandler } from './ec2-elastic-ips-idle';
import type { HandlerRegistry } from './registry';

/**
 * Registers the handlers that ship with the app; returns one function that unregisters them all.
 * All or nothing: when one type is already taken, the ones added so far are removed again before rethrowing.
 */
export function registerBuiltinHandlers(registry: HandlerRegistry): () => void {
  const handlers = [
    stoppedInstancesHandler,
    unusedImagesHandler,
    orphanedSnapshotsHandler,
    unattachedVolumesHandler,
    idleElasticIpsHandler,
  ];
  const unregister: (() => void)[] = [];
  const unregisterAll = (): void => {
    for (const u of unregister.splice(0)) u();
  };
  try {
    for (const h of handlers) unregister.push(registry.register(h));
  } catch (err) {
    unregisterAll();
    throw err;
  }
  return unregisterAll;
}
