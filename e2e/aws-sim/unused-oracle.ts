/**
 * The app's definition of "unused" (AWS-FACTS.md, "What AWS itself calls unused") evaluated directly on the
 * simulator state: the oracle the sample account's expected list and the generator are checked against.
 * Protection tags are NOT considered here (a protected resource is still unused, just not to be deleted).
 */
import type { UnusedResource } from './generator';
import type { SimAccount } from './state';

const DAY_MS = 86_400_000;
const USER_STOP = /^User initiated \((\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) GMT\)$/;

export function unusedByDefinition(account: SimAccount, now: Date = account.now): UnusedResource[] {
  const out: UnusedResource[] = [];
  for (const [name, r] of account.regions) {
    const usedImages = new Set<string>();
    for (const i of r.instances.values()) if (i.state !== 'terminated') usedImages.add(i.imageId);
    for (const lt of r.launchTemplates.values()) for (const v of lt.versions) if (v.imageId) usedImages.add(v.imageId);
    // An Auto Scaling group launches from its launch configuration's AMI on scale-out: that is use too.
    for (const lc of r.launchConfigurations.values()) usedImages.add(lc.imageId);
    const amiSnapshots = new Set<string>();
    for (const im of r.images.values()) for (const d of im.devices) amiSnapshots.add(d.snapshotId);

    for (const i of r.instances.values()) {
      const m = USER_STOP.exec(i.stateTransitionReason);
      if (i.state !== 'stopped' || !m) continue;
      const stoppedAt = Date.parse(`${m[1]}T${m[2]}Z`);
      if (now.getTime() - stoppedAt >= 30 * DAY_MS) out.push({ type: 'ec2:instance', region: name, id: i.instanceId });
    }
    for (const v of r.volumes.values()) if (v.state === 'available') out.push({ type: 'ec2:volume', region: name, id: v.volumeId });
    for (const a of r.addresses.values()) if (!a.associationId && !a.serviceManaged) out.push({ type: 'ec2:elastic-ip', region: name, id: a.allocationId });
    for (const s of r.snapshots.values()) {
      if (!r.volumes.has(s.volumeId) && !amiSnapshots.has(s.snapshotId)) out.push({ type: 'ec2:snapshot', region: name, id: s.snapshotId });
    }
    for (const im of r.images.values()) if (!usedImages.has(im.imageId)) out.push({ type: 'ec2:image', region: name, id: im.imageId });
  }
  return out;
}

export const resourceKey = (u: UnusedResource): string => `${u.region} ${u.type} ${u.id}`;
