import { bundledFrom, rateIn } from '../price-key';
import type { BundledPrices, PriceKey, RatePriceKey } from '../types';

/*
 * SageMaker AI price keys, declared once: the endpoint and notebook-instance kinds import them. A function returns
 * undefined for what has no declared key (an instance type outside the sets below): the cost is then unknown, never $0.
 *
 * What is declared: On-Demand real-time hosting instance hours (`Host:<ml type>`) for SAGEMAKER_HOST_TYPES, notebook
 * instance hours (`Notebk:<ml type>`) for SAGEMAKER_NOTEBOOK_TYPES, and notebook ML storage per GB-month
 * (`Notebk:VolumeUsage.gp2`). Serverless inference, provisioned concurrency, Studio, training and processing are not.
 *
 * Price List (service AmazonSageMaker): instance hours in product family "ML Instance"; the instance type lives in the
 * usage type (`USE1-Host:ml.m5.large`, `USE1-Notebk:ml.t3.medium`: many products leave the instance-type attribute
 * empty, so keys match on the usage type, its region prefix removed). Notebook ML storage: product family "Storage",
 * usage type `Notebk:VolumeUsage.gp2`. Neighbours that must not match: `Train:`, `TrSpt:`, `Processing:`, `Tsform:`,
 * `Studio:` rows of the same instance, and other storage usage types.
 *  Where seen: a cost-and-usage mapping naming `REGION-Notebk:instanceType` (family 'ML Instance') and
 *  `REGION-Notebk:VolumeUsage.gp2` (family 'Storage') (search-tool file id 59385630105); a price study parsing the
 *  AmazonSageMaker bulk file that notes the instance lives in usageType (`USE1-Notebk:ml.t3.medium`, file id
 *  71562949756); `USE1-Host:ml.m5.large` from the Pricing API (file id 60876816424).
 *
 * Sources of the bundled values (us-east-1 only):
 *  - Notebook hours: the public AmazonSageMaker bulk price file published 2026-09-24T23:59Z, as tabulated in file id
 *    71562949756 (us-east-1 Notebook: ml.t3.medium 0.05, ml.m5.xlarge 0.23, ml.m5.4xlarge 0.922, ml.m6i.4xlarge 0.922,
 *    ml.r5.4xlarge 1.21, ml.g4dn.xlarge 0.736, ml.g5.xlarge 1.41).
 *  - Hosting hours: ml.m5.large $0.115/h, "Pricing API USE1-Host:ml.m5.large", pulled 2026-07-30 (file id 60876816424).
 *  - Notebook ML storage: $0.14/GB-month, "Price List, USE1-Notebk:VolumeUsage.gp2, 2026-10-01" (file id 70470411701).
 * Every other type and region is Price List only (unknown when it cannot be fetched).
 */

const SM = 'AmazonSageMaker';
const INSTANCE_FAMILY = 'ML Instance';
const STORAGE_FAMILY = 'Storage';

function sizes(families: readonly string[], names: readonly string[]): string[] {
  return families.flatMap((f) => names.map((n) => `ml.${f}.${n}`));
}

/** Real-time hosting instance types with declared keys. */
export const SAGEMAKER_HOST_TYPES: readonly string[] = Object.freeze([
  ...sizes(['t2'], ['medium', 'large', 'xlarge', '2xlarge']),
  ...sizes(['m5', 'm6i', 'm7i', 'c5', 'c6i', 'c7i', 'r5', 'r6i', 'r7i'], ['large', 'xlarge', '2xlarge', '4xlarge']),
  ...sizes(['g4dn', 'g5', 'g6'], ['xlarge', '2xlarge', '4xlarge', '12xlarge']),
  ...sizes(['inf2'], ['xlarge', '8xlarge']),
  'ml.p3.2xlarge',
]);

/** Notebook instance types with declared keys. */
export const SAGEMAKER_NOTEBOOK_TYPES: readonly string[] = Object.freeze([
  ...sizes(['t2', 't3'], ['medium', 'large', 'xlarge', '2xlarge']),
  ...sizes(['m5', 'm6i', 'c5', 'r5', 'r6i'], ['xlarge', '2xlarge', '4xlarge']),
  ...sizes(['g4dn', 'g5'], ['xlarge', '2xlarge']),
  'ml.p3.2xlarge',
]);

type Component = 'Host' | 'Notebk';

const HOURLY_SOURCES: Readonly<Record<Component, ReadonlyArray<{ asOf: string; source: string; values: Readonly<Record<string, number>> }>>> = {
  Host: [
    {
      asOf: '2026-07-30',
      source: 'AWS Pricing API, usage type USE1-Host:ml.m5.large, as recorded on 2026-07-30 (search-tool file id 60876816424)',
      values: { 'ml.m5.large': 0.115 },
    },
  ],
  Notebk: [
    {
      asOf: '2026-09-24',
      source: 'AmazonSageMaker public bulk price file published 2026-09-24T23:59Z, us-east-1 Notebk rows (search-tool file id 71562949756)',
      values: {
        'ml.t3.medium': 0.05,
        'ml.m5.xlarge': 0.23,
        'ml.m5.4xlarge': 0.922,
        'ml.m6i.4xlarge': 0.922,
        'ml.r5.4xlarge': 1.21,
        'ml.g4dn.xlarge': 0.736,
        'ml.g5.xlarge': 1.41,
      },
    },
  ],
};

function hourlyBundled(component: Component, instanceType: string): BundledPrices<number> {
  return bundledFrom(
    ...HOURLY_SOURCES[component].map((s) => ({
      asOf: s.asOf,
      source: s.source,
      values: (Object.hasOwn(s.values, instanceType) ? { 'us-east-1': s.values[instanceType]! } : {}) as Readonly<Record<string, number>>,
    })),
  );
}

function hourKey(component: Component, instanceType: string): RatePriceKey {
  const usage = `${component}:${instanceType}`;
  return {
    key: `sageMaker${component === 'Host' ? 'HostingHour' : 'NotebookHour'}.${instanceType}`,
    shape: 'rate',
    unit: 'Hrs',
    description:
      component === 'Host'
        ? `A SageMaker real-time endpoint instance ${instanceType}, per hour it runs`
        : `A SageMaker notebook instance ${instanceType}, per hour it runs`,
    priceList: {
      serviceCode: SM,
      filters: { productFamily: INSTANCE_FAMILY },
      match: (p) => (p.productFamily === INSTANCE_FAMILY && p.usage === usage ? rateIn(p, ['Hrs', 'Hours']) : undefined),
    },
    bundled: hourlyBundled(component, instanceType),
  };
}

export const SAGEMAKER_HOSTING_HOUR: Readonly<Record<string, RatePriceKey>> = Object.freeze(
  Object.fromEntries(SAGEMAKER_HOST_TYPES.map((t) => [t, hourKey('Host', t)])),
);

export const SAGEMAKER_NOTEBOOK_HOUR: Readonly<Record<string, RatePriceKey>> = Object.freeze(
  Object.fromEntries(SAGEMAKER_NOTEBOOK_TYPES.map((t) => [t, hourKey('Notebk', t)])),
);

const NOTEBOOK_STORAGE_USAGE = 'Notebk:VolumeUsage.gp2';

export const SAGEMAKER_NOTEBOOK_STORAGE_GB_MONTH: RatePriceKey = {
  key: 'sageMakerNotebookStorageGbMonth',
  shape: 'rate',
  unit: 'GB-Mo',
  description: "A SageMaker notebook instance's ML storage volume, per GB-month (billed while the volume exists, running or stopped)",
  priceList: {
    serviceCode: SM,
    filters: { productFamily: STORAGE_FAMILY },
    match: (p) => (p.productFamily === STORAGE_FAMILY && p.usage === NOTEBOOK_STORAGE_USAGE ? rateIn(p, ['GB-Mo', 'GB-month']) : undefined),
  },
  bundled: bundledFrom({
    asOf: '2026-10-01',
    source: 'AWS Price List, usage type USE1-Notebk:VolumeUsage.gp2, as recorded on 2026-10-01 (search-tool file id 70470411701)',
    values: { 'us-east-1': 0.14 },
  }),
};

const norm = (t: string): string => t.trim().toLowerCase();

/** A real-time endpoint instance hour (`ml.m5.large`). */
export function sageMakerHostingHourKey(instanceType: string): RatePriceKey | undefined {
  const t = norm(instanceType);
  return Object.hasOwn(SAGEMAKER_HOSTING_HOUR, t) ? SAGEMAKER_HOSTING_HOUR[t] : undefined;
}

/** A notebook instance hour (`ml.t3.medium`). */
export function sageMakerNotebookHourKey(instanceType: string): RatePriceKey | undefined {
  const t = norm(instanceType);
  return Object.hasOwn(SAGEMAKER_NOTEBOOK_HOUR, t) ? SAGEMAKER_NOTEBOOK_HOUR[t] : undefined;
}

export const SAGEMAKER_ENDPOINT_PRICE_KEYS: readonly PriceKey[] = Object.freeze(SAGEMAKER_HOST_TYPES.map((t) => SAGEMAKER_HOSTING_HOUR[t]!));

export const SAGEMAKER_NOTEBOOK_PRICE_KEYS: readonly PriceKey[] = Object.freeze([
  ...SAGEMAKER_NOTEBOOK_TYPES.map((t) => SAGEMAKER_NOTEBOOK_HOUR[t]!),
  SAGEMAKER_NOTEBOOK_STORAGE_GB_MONTH,
]);

export const SAGEMAKER_PRICE_KEYS: readonly PriceKey[] = Object.freeze([...SAGEMAKER_ENDPOINT_PRICE_KEYS, ...SAGEMAKER_NOTEBOOK_PRICE_KEYS]);
