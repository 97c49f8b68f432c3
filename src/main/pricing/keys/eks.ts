import { bundledFrom, rateIn } from '../price-key';
import type { PriceKey, RatePriceKey } from '../types';

/*
 * Amazon EKS price keys: the empty-cluster kind (handlers/eks-clusters.ts) imports them. A cluster bills its control
 * plane per hour it exists: one rate while its Kubernetes version is in standard support, another in extended support.
 * Nodes, Fargate pods, volumes and load balancers bill under their own services.
 *
 * Source of the bundled values [EKSP]: the AWS Containers blog "Amazon EKS extended support for Kubernetes versions
 * pricing" (aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing): "clusters
 * running on a Kubernetes version in the extended support window will be charged a total of $0.60 per cluster per hour,
 * effective from the April 2024 billing cycle (starting April 1, 2024). Pricing for clusters running Kubernetes
 * versions in standard support is unchanged — you will continue to pay $0.10 per cluster per hour." Dated by the
 * effective date it states, 2024-04-01. Bundled for us-east-1 only (the blog quotes no per-region table).
 *
 * Price List: service code AmazonEKS. Standard support: usage type `AmazonEKS-Hours:perCluster` (region-prefixed,
 * `USE1-AmazonEKS-Hours:perCluster`; seen in Price List query code and billing exports, search-tool file ids
 * 25107916367, 56599612874, 36945114032). Extended support: `AmazonEKS-Hours:perClusterExtended`, which shares the
 * product family with the standard row (named by one Price List fetcher, file id 68362383013; not confirmed against a
 * recorded GetProducts answer). Exact usage matches, so neither row is taken for the other (nor the EKS Anywhere,
 * hybrid-node or Auto Mode rows). One GetProducts query per region for the whole AmazonEKS offer (a small one): a
 * usagetype TERM_MATCH would need the region prefix.
 */

const EKS = 'AmazonEKS';

function hourKey(key: string, usage: string, description: string, usEast1: number): RatePriceKey {
  return {
    key,
    shape: 'rate',
    unit: 'Hrs',
    description,
    priceList: { serviceCode: EKS, filters: {}, match: (p) => (p.usage === usage ? rateIn(p, ['Hrs', 'Hours', 'hours']) : undefined) },
    bundled: bundledFrom({ asOf: '2024-04-01', source: '[EKSP]', values: { 'us-east-1': usEast1 } }),
  };
}

/** A cluster whose Kubernetes version is in standard support, per hour. */
export const EKS_CLUSTER_HOUR: RatePriceKey = hourKey(
  'eksClusterHour',
  'AmazonEKS-Hours:perCluster',
  'An EKS cluster control plane in standard support, per hour it exists',
  0.1,
);

/** A cluster whose Kubernetes version is in extended support, per hour (the total, not a surcharge). */
export const EKS_CLUSTER_EXTENDED_HOUR: RatePriceKey = hourKey(
  'eksClusterExtendedHour',
  'AmazonEKS-Hours:perClusterExtended',
  'An EKS cluster control plane in extended support, per hour it exists (total rate)',
  0.6,
);

export const EKS_PRICE_KEYS: readonly PriceKey[] = Object.freeze([EKS_CLUSTER_HOUR, EKS_CLUSTER_EXTENDED_HOUR]);
