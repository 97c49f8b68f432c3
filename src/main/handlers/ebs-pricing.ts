import { assertNever } from '../../shared/assert-never';
import {
  EBS_GB_MONTH,
  EBS_VOLUME_TYPES,
  GP3_IOPS_MONTH,
  GP3_THROUGHPUT_MIBPS_MONTH,
  IO1_IOPS_MONTH,
  IO2_IOPS_TIERS,
  STANDARD_IO_PER_MILLION,
  type EbsVolumeType,
} from '../pricing/keys/ebs';
import { price } from '../pricing/price-key';
import type { PriceTier, RegionPrices } from '../pricing/types';
import { num, roundCost, usd } from './handler';

/** gp3 includes this much performance in the storage price; only the excess bills. */
export const GP3_FREE_IOPS = 3000;
export const GP3_FREE_THROUGHPUT_MIBPS = 125;

export interface VolumeToPrice {
  type: string | undefined;
  sizeGiB: number;
  iops?: number;
  throughputMiBps?: number;
}

export interface VolumePrice {
  /** USD per month, or null when a price or a fact is missing (unknown, never $0). */
  monthlyCost: number | null;
  /** The formula (or why there is none), ending with the region, e.g. `gp2 8 GiB × $0.10 (us-east-1)`. */
  costBasis: string;
}

/**
 * The same price without the region suffix, so callers that add several parts (an instance's volumes)
 * can name the region once.
 */
export interface VolumePriceTerms {
  monthlyCost: number | null;
  /** `gp3 500 GiB × $0.088 + …` when priced; the reason it is unknown otherwise. */
  terms: string;
}

function isEbsVolumeType(t: string): t is EbsVolumeType {
  return (EBS_VOLUME_TYPES as readonly string[]).includes(t);
}

function unknown(terms: string): VolumePriceTerms {
  return { monthlyCost: null, terms };
}

/** Splits provisioned IOPS across io2's ascending tiers. Null when the tiers do not cover every IOPS. */
function io2Tiers(iops: number, tiers: readonly PriceTier[]): { iops: number; price: number }[] | null {
  const parts: { iops: number; price: number }[] = [];
  let billed = 0;
  for (const tier of tiers) {
    if (billed >= iops) break;
    const upper = tier.upTo === null ? iops : Math.min(iops, tier.upTo);
    const inTier = upper - billed;
    if (inTier > 0) {
      parts.push({ iops: inTier, price: tier.price });
      billed = upper;
    }
  }
  return billed >= iops ? parts : null;
}

export function priceVolumeTerms(v: VolumeToPrice, prices: RegionPrices | null): VolumePriceTerms {
  if (prices === null) return unknown('Cost unknown: no prices for this region');
  const type = v.type;
  if (type === undefined || type === '') return unknown('Cost unknown: AWS did not report the volume type');
  if (!isEbsVolumeType(type)) return unknown(`Cost unknown: volume type ${type} has no known price`);
  const gbMonth = price(prices, EBS_GB_MONTH[type]);
  if (gbMonth === null) return unknown(`Cost unknown: no ${type} storage price`);

  let total = v.sizeGiB * gbMonth;
  const terms = [`${type} ${num(v.sizeGiB)} GiB × ${usd(gbMonth)}`];

  switch (type) {
    case 'gp3': {
      const extraIops = Math.max(0, (v.iops ?? GP3_FREE_IOPS) - GP3_FREE_IOPS);
      const extraTp = Math.max(0, (v.throughputMiBps ?? GP3_FREE_THROUGHPUT_MIBPS) - GP3_FREE_THROUGHPUT_MIBPS);
      if (extraIops > 0) {
        const iopsMonth = price(prices, GP3_IOPS_MONTH);
        if (iopsMonth === null) return unknown('Cost unknown: no gp3 IOPS price');
        total += extraIops * iopsMonth;
        terms.push(`${num(extraIops)} IOPS over baseline × ${usd(iopsMonth)}`);
      }
      if (extraTp > 0) {
        const mibpsMonth = price(prices, GP3_THROUGHPUT_MIBPS_MONTH);
        if (mibpsMonth === null) return unknown('Cost unknown: no gp3 throughput price');
        total += extraTp * mibpsMonth;
        terms.push(`${num(extraTp)} MiB/s over baseline × ${usd(mibpsMonth)}`);
      }
      break;
    }
    case 'io1': {
      if (v.iops === undefined) return unknown('Cost unknown: AWS did not report the io1 provisioned IOPS');
      const iopsMonth = price(prices, IO1_IOPS_MONTH);
      if (iopsMonth === null) return unknown('Cost unknown: no io1 IOPS price');
      total += v.iops * iopsMonth;
      terms.push(`${num(v.iops)} IOPS × ${usd(iopsMonth)}`);
      break;
    }
    case 'io2': {
      if (v.iops === undefined) return unknown('Cost unknown: AWS did not report the io2 provisioned IOPS');
      const ladder = price(prices, IO2_IOPS_TIERS);
      if (ladder === null) return unknown('Cost unknown: no io2 IOPS prices');
      const parts = io2Tiers(v.iops, ladder);
      if (parts === null) return unknown(`Cost unknown: io2 IOPS tiers do not cover ${num(v.iops)} IOPS`);
      for (const p of parts) {
        total += p.iops * p.price;
        terms.push(`${num(p.iops)} IOPS × ${usd(p.price)}`);
      }
      break;
    }
    case 'standard': {
      // Magnetic I/O is billed per request; a monthly estimate would have to guess the usage.
      const perMillion = price(prices, STANDARD_IO_PER_MILLION);
      terms.push(
        perMillion === null
          ? 'I/O requests (usage-based, not estimated)'
          : `I/O requests at ${usd(perMillion)} per million (usage-based, not estimated)`,
      );
      break;
    }
    case 'gp2':
    case 'st1':
    case 'sc1':
      break;
    default:
      return assertNever(type);
  }
  return { monthlyCost: roundCost(total), terms: terms.join(' + ') };
}

/**
 * Monthly cost of one EBS volume: storage by type and size, plus the provisioned performance that bills
 * (gp3 above its free baseline, io1 all IOPS, io2 per tier). Unknown type or missing price → null.
 */
export function priceVolume(v: VolumeToPrice, prices: RegionPrices | null): VolumePrice {
  const { monthlyCost, terms } = priceVolumeTerms(v, prices);
  return { monthlyCost, costBasis: prices === null ? terms : `${terms} (${prices.region})` };
}
