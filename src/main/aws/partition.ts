import { assertNever } from '../../shared/assert-never';
import type { Partition } from './types';


export function partitionOfRegion(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** `arn:PARTITION:service:…`; unknown or malformed ARNs fall back to `aws`. */
export function partitionOfArn(arn: string): Partition {
  const p = arn.split(':')[1];
  return p === 'aws-cn' || p === 'aws-us-gov' ? p : 'aws';
}

/** Cost Explorer has one endpoint per partition (see AWS-FACTS.md). */
export function costExplorerRegion(partition: Partition): string {
  switch (partition) {
    case 'aws':
      return 'us-east-1';
    case 'aws-cn':
      return 'cn-northwest-1';
    case 'aws-us-gov':
      return 'us-gov-west-1';
    default:
      return assertNever(partition);
  }
}

/** IAM is global; these are the regions its partition endpoints sign with. */
export function iamRegion(partition: Partition): string {
  switch (partition) {
    case 'aws':
      return 'us-east-1';
    case 'aws-cn':
      return 'cn-north-1';
    case 'aws-us-gov':
      return 'us-gov-west-1';
    default:
      return assertNever(partition);
  }
}

/**
 * The Price List API lives in us-east-1 (and cn-northwest-1 for China). GovCloud has none: its callers get us-east-1
 * and will fail with their GovCloud credentials, so price refresh falls back to bundled prices there.
 */
export function pricingRegion(partition: Partition): string {
  switch (partition) {
    case 'aws':
    case 'aws-us-gov':
      return 'us-east-1';
    case 'aws-cn':
      return 'cn-northwest-1';
    default:
      return assertNever(partition);
  }
}
