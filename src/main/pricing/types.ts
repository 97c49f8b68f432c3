/**
 * Prices are declared by the kinds that use them, one `PriceKey` per published price (see price-key.ts for the
 * helpers and keys/ for the shared declarations). All amounts are on-demand USD in the key's unit, as AWS publishes
 * them. A missing price is `null`, never 0: the handler then shows the cost as unknown.
 */

export const HOURS_PER_MONTH = 730;

/** One step of a tiered price: units up to `upTo` (inclusive; null = no upper bound) bill at `price` each. */
export interface PriceTier {
  upTo: number | null;
  price: number;
}

/** A rate (one price per unit) or a ladder of tiers (ascending, the last one unbounded). */
export type PriceValue = number | readonly PriceTier[];

/** One OnDemand price dimension of a Price List product. */
export interface PriceDimension {
  unit: string;
  usd: number;
  beginRange: number;
  /** null = `Inf`. */
  endRange: number | null;
}

/** A Price List (GetProducts) product, as a key's `match` sees it. */
export interface PriceListProduct {
  serviceCode: string;
  productFamily: string;
  /** `usagetype` without its region prefix (`EUW1-EBS:VolumeUsage.gp3` → `EBS:VolumeUsage.gp3`). */
  usage: string;
  /** Every string attribute of the product (`volumeApiName`, `group`, `regionCode`, …). */
  attributes: Readonly<Record<string, string>>;
  /** Its OnDemand price dimensions, ascending by `beginRange`. */
  dimensions: readonly PriceDimension[];
}

/**
 * Where the Price List API publishes a key: the GetProducts query (service code and TERM_MATCH filters; the price
 * service adds `regionCode` per region) and how a product of that service maps to the key. Keys of one service are
 * fetched together (identical queries once) and every product of the service is offered to each of its keys, so
 * `match` must recognise its own products (usually by `usage`) and return undefined for any other.
 */
interface PriceListSpec<M> {
  serviceCode: string;
  filters: Readonly<Record<string, string>>;
  match(product: PriceListProduct): M | undefined;
}

export interface RatePriceListSpec extends PriceListSpec<number> {
  /** When several products match: the highest rank wins, ties go to the last one (default rank 0). */
  rank?(product: PriceListProduct): number;
}

/** The tiers of every matching product are joined; only a complete ladder (ending unbounded) is a price. */
export type TieredPriceListSpec = PriceListSpec<readonly PriceTier[]>;

/** A bundled value and the dated public source it was read from. */
export interface BundledPrice<V extends PriceValue> {
  value: V;
  /** Publication (or retrieval) date of the source, YYYY-MM-DD. */
  asOf: string;
  /** The source, as named in the declaring module's source notes. */
  source: string;
}

/** A key's bundled values by region. A region not listed has no bundled value (unknown, never 0). */
export type BundledPrices<V extends PriceValue> = Readonly<Record<string, BundledPrice<V>>>;

interface PriceKeyBase {
  /**
   * Stable id: the key of the value in a RegionPrices and in the price cache. One declaration per id (kinds that use
   * the same price import the same declaration; two different declarations of one id are refused).
   */
  key: string;
  /** The unit of the value, as the Price List writes it where it can (`GB-Mo`, `IOPS-Mo`, `Hrs`). */
  unit: string;
  description: string;
}

export interface RatePriceKey extends PriceKeyBase {
  shape: 'rate';
  /** Absent: the price is bundled only (never fetched). */
  priceList?: RatePriceListSpec;
  bundled: BundledPrices<number>;
}

export interface TieredPriceKey extends PriceKeyBase {
  shape: 'tiers';
  priceList?: TieredPriceListSpec;
  bundled: BundledPrices<readonly PriceTier[]>;
}

export type PriceKey = RatePriceKey | TieredPriceKey;

/** The prices of one region, by key id. Read them with `price(prices, KEY)` (price-key.ts). */
export interface RegionPrices {
  region: string;
  /** Where these prices come from. */
  source: 'bundled' | 'price-list';
  /** The date the prices were published (bundled: the oldest source behind them) or fetched (price list), YYYY-MM-DD. */
  asOf: string;
  /** Value by key id; null or absent = unknown (never 0). */
  values: Record<string, PriceValue | null>;
}

export interface PriceBook {
  /** Prices for a region, or null when the app has no prices for it (cost is then unknown). */
  forRegion(region: string): RegionPrices | null;
}
