/**
 * Pricing test helpers (test-only: no production module imports it): the shipped kinds' keys, and a read-out of their
 * values under one name per price, so the tests state every published price plainly.
 */
import { ELASTICACHE_PRICE_KEYS } from './keys/elasticache';
import { ELB_PRICE_KEYS } from './keys/elb';
import { OPENSEARCH_PRICE_KEYS } from './keys/opensearch';
import { RDS_PRICE_KEYS } from './keys/rds';
import { REDSHIFT_PRICE_KEYS } from './keys/redshift';
import { NAT_GATEWAY_PRICE_KEYS } from './keys/nat-gateway';
import { VPC_ENDPOINT_PRICE_KEYS } from './keys/vpc-endpoint';
import { LOGS_PRICE_KEYS } from './keys/logs';
import { S3_PRICE_KEYS } from './keys/s3';
import { ECR_PRICE_KEYS } from './keys/ecr';
import { SECRETS_MANAGER_PRICE_KEYS } from './keys/secretsmanager';
import { EKS_PRICE_KEYS } from './keys/eks';
import { KMS_PRICE_KEYS } from './keys/kms';
import { SAGEMAKER_PRICE_KEYS } from './keys/sagemaker';
import {
  EBS_GB_MONTH,
  EBS_PRICE_KEYS,
  EBS_VOLUME_TYPES,
  GP3_IOPS_MONTH,
  GP3_THROUGHPUT_MIBPS_MONTH,
  IO1_IOPS_MONTH,
  IO2_IOPS_TIERS,
  SNAPSHOT_ARCHIVE_GB_MONTH,
  SNAPSHOT_STANDARD_GB_MONTH,
  STANDARD_IO_PER_MILLION,
  type EbsVolumeType,
} from './keys/ebs';
import { PUBLIC_IPV4_HOUR } from './keys/ipv4';
import { price, regionPrices } from './price-key';
import type { PriceKey, PriceTier, PriceValue, RegionPrices } from './types';

/** The keys of the kinds that ship with the app (EBS, public IPv4, NAT gateways, interface endpoints, load balancers). */
/** The EBS and public IPv4 keys (the price-list fixtures of the EC2-family kinds cover exactly these). */
export const EC2_FAMILY_KEYS: readonly PriceKey[] = [...EBS_PRICE_KEYS, PUBLIC_IPV4_HOUR];

export const SHIPPED_KEYS: readonly PriceKey[] = [
  ...EBS_PRICE_KEYS,
  PUBLIC_IPV4_HOUR,
  ...NAT_GATEWAY_PRICE_KEYS,
  ...VPC_ENDPOINT_PRICE_KEYS,
  ...ELB_PRICE_KEYS,
  ...RDS_PRICE_KEYS,
  ...ELASTICACHE_PRICE_KEYS,
  ...REDSHIFT_PRICE_KEYS,
  ...OPENSEARCH_PRICE_KEYS,
  ...LOGS_PRICE_KEYS,
  ...S3_PRICE_KEYS,
  ...ECR_PRICE_KEYS,
  ...SECRETS_MANAGER_PRICE_KEYS,
  ...EKS_PRICE_KEYS,
  ...KMS_PRICE_KEYS,
  ...SAGEMAKER_PRICE_KEYS,
];

export interface PricesView {
  region: string;
  source: RegionPrices['source'];
  asOf: string;
  ebsGbMonth: Record<EbsVolumeType, number | null>;
  gp3IopsMonth: number | null;
  gp3ThroughputMibpsMonth: number | null;
  io1IopsMonth: number | null;
  io2IopsTiers: { upTo: number | null; pricePerIopsMonth: number }[] | null;
  standardIoPerMillion: number | null;
  snapshotStandardGbMonth: number | null;
  snapshotArchiveGbMonth: number | null;
  publicIpv4Hour: number | null;
}

function io2(tiers: readonly PriceTier[] | null): PricesView['io2IopsTiers'] {
  return tiers ? tiers.map((t) => ({ upTo: t.upTo, pricePerIopsMonth: t.price })) : null;
}

/** Every shipped key's value in `p`, read through `price()` (null = unknown). */
export function view(p: RegionPrices): PricesView {
  return {
    region: p.region,
    source: p.source,
    asOf: p.asOf,
    ebsGbMonth: Object.fromEntries(EBS_VOLUME_TYPES.map((t) => [t, price(p, EBS_GB_MONTH[t])])) as Record<EbsVolumeType, number | null>,
    gp3IopsMonth: price(p, GP3_IOPS_MONTH),
    gp3ThroughputMibpsMonth: price(p, GP3_THROUGHPUT_MIBPS_MONTH),
    io1IopsMonth: price(p, IO1_IOPS_MONTH),
    io2IopsTiers: io2(price(p, IO2_IOPS_TIERS)),
    standardIoPerMillion: price(p, STANDARD_IO_PER_MILLION),
    snapshotStandardGbMonth: price(p, SNAPSHOT_STANDARD_GB_MONTH),
    snapshotArchiveGbMonth: price(p, SNAPSHOT_ARCHIVE_GB_MONTH),
    publicIpv4Hour: price(p, PUBLIC_IPV4_HOUR),
  };
}

type Found<T> = { [K in keyof T]?: Exclude<T[K], null> };

/** What a Price List parse found, by the same names: a price that was not found is absent (not null). */
export function foundView(found: Readonly<Record<string, PriceValue>>): Omit<Found<PricesView>, 'ebsGbMonth'> & {
  ebsGbMonth: Partial<Record<EbsVolumeType, number>>;
} {
  const v = view(regionPrices('found', SHIPPED_KEYS.filter((k) => Object.hasOwn(found, k.key)).map((k) => [k, found[k.key]!])));
  const out: Record<string, unknown> = { ebsGbMonth: Object.fromEntries(Object.entries(v.ebsGbMonth).filter(([, x]) => x !== null)) };
  for (const [k, x] of Object.entries(v)) {
    if (k !== 'ebsGbMonth' && k !== 'region' && k !== 'source' && k !== 'asOf' && x !== null) out[k] = x;
  }
  return out as ReturnType<typeof foundView>;
}
