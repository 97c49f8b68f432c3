/** Links to a resource's page in the AWS console (opened through shell.openExternal, which main allowlists). */

function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return 'console.amazonaws.cn';
  if (region.startsWith('us-gov-')) return 'console.amazonaws-us-gov.com';
  return `${region}.console.aws.amazon.com`;
}

const EC2_ANCHORS: Record<string, string> = {
  'ec2:instance': 'InstanceDetails:instanceId=',
  'ec2:volume': 'VolumeDetails:volumeId=',
  'ec2:elastic-ip': 'ElasticIpDetails:AllocationId=',
  'ec2:snapshot': 'SnapshotDetails:snapshotId=',
  'ec2:image': 'ImageDetails:imageId=',
  'ec2:nat-gateway': 'NatGatewayDetails:natGatewayId=',
};

/** null when the app does not know where the console shows this kind of resource. */
export function consoleUrl(resourceType: string, region: string, resourceId: string): string | null {
  const anchor = EC2_ANCHORS[resourceType];
  if (anchor === undefined) return null;
  const r = encodeURIComponent(region);
  const path = resourceType === 'ec2:nat-gateway' ? 'vpcconsole/home' : 'ec2/home';
  return `https://${consoleHost(region)}/${path}?region=${r}#${anchor}${encodeURIComponent(resourceId)}`;
}
