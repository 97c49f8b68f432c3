import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import type { GetProductsCommandInput } from '@aws-sdk/client-pricing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMemoryDatabase } from '../db/database';
import { putCachedPrices } from '../db/repos/price-cache';
import { BUILTIN_HANDLERS, builtinPriceKeys, registerBuiltinHandlers } from '../handlers/builtin';
import { roundCost, usd, type Finding, type HandlerContext, type ResourceHandler } from '../handlers/handler';
import { createHandlerRegistry, priceKeysOf } from '../handlers/registry';
import { DEFAULT_HANDLER_SETTINGS } from '../handlers/handler';
import { EBS_GB_MONTH } from './keys/ebs';
import { PUBLIC_IPV4_HOUR } from './keys/ipv4';
import { createBundledPriceBook, priceItems } from './price-book';
import { bundledFrom, collectPriceKeys, price, rateIn, regionPrices } from './price-key';
import { createPriceService } from './prices';
import { SHIPPED_KEYS } from './test-support';
import { HOURS_PER_MONTH, type PriceBook, type RatePriceKey } from './types';

/*
 * A kind defined only here, with a price of its own (a made-up Price List service code and bundled values): it is
 * priced by the bundled book, the Price List refresh, the cache and the merge with no central table changed.
 */

const WIDGET_SERVICE = 'AmazonMadeUpWidgets';

const WIDGET_HOUR: RatePriceKey = {
  key: 'madeUpWidgets.widget.hour',
  shape: 'rate',
  unit: 'Hrs',
  description: 'A made-up widget, per hour',
  priceList: {
    serviceCode: WIDGET_SERVICE,
    filters: { productFamily: 'Widget' },
    match: (p) => (p.usage === 'Widget:Hours' ? rateIn(p, ['Hrs']) : undefined),
  },
  bundled: bundledFrom({ asOf: '2026-01-15', source: 'made up for this test', values: { 'us-east-1': 0.25, 'xx-widgets-1': 0.5 } }),
};

/** A widget kind: one idle widget per region, billed by the hour. */
function widgetKind(): ResourceHandler {
  return {
    type: 'widgets:widget',
    label: 'Idle widgets',
    noun: 'widget',
    category: 'Compute',
    serviceCodes: [WIDGET_SERVICE],
    billingServiceCode: WIDGET_SERVICE,
    deleteOrder: 90,
    consoleUrl: null,
    iam: { scan: ['widgets:ListWidgets'], action: ['widgets:DeleteWidget'] },
    actionLabel: 'Delete',
    verification: { method: 'dry-run', description: '' },
    detailFields: [],
    priceKeys: [WIDGET_HOUR],
    async *scan(ctx: HandlerContext): AsyncIterable<Finding[]> {
      const hour = ctx.prices === null ? null : price(ctx.prices, WIDGET_HOUR);
      yield [
        {
          resourceType: 'widgets:widget',
          resourceId: `widget-${ctx.region}`,
          region: ctx.region,
          name: null,
          state: 'idle',
          tags: {},
          createdAt: null,
          unused: true,
          unusedReason: 'Idle',
          unusedSince: null,
          monthlyCost: hour === null ? null : roundCost(HOURS_PER_MONTH * hour),
          costBasis: hour === null ? `Cost unknown: no widget price (${ctx.region})` : `widget ${HOURS_PER_MONTH} h × ${usd(hour)} (${ctx.region})`,
          protected: false,
          protectedReason: null,
          details: {},
        },
      ];
    },
    recheck: () => Promise.reject(new Error('not used')),
    delete: () => Promise.reject(new Error('not used')),
    parts: () => ({ own: { monthlyCost: null, costBasis: '' }, parts: [] }),
  };
}

/** A Price List product of the made-up service, in GetProducts' shape. */
function widgetProduct(region: string, usd: string): string {
  return JSON.stringify({
    product: {
      productFamily: 'Widget',
      attributes: { usagetype: `${region === 'us-east-1' ? '' : 'XXW1-'}Widget:Hours`, regionCode: region, locationType: 'AWS Region' },
      sku: 'WIDGETSKU',
    },
    serviceCode: WIDGET_SERVICE,
    terms: { OnDemand: { 'WIDGETSKU.T': { priceDimensions: { 'WIDGETSKU.T.R': { unit: 'Hrs', beginRange: '0', endRange: 'Inf', pricePerUnit: { USD: usd } } } } } },
  });
}

async function scanOne(kind: ResourceHandler, book: PriceBook, region: string): Promise<Finding> {
  const ctx: HandlerContext = {
    region,
    accountId: '111122223333',
    client: () => {
      throw new Error('no clients in this test');
    },
    prices: book.forRegion(region),
    settings: DEFAULT_HANDLER_SETTINGS,
    now: new Date('2026-06-01T00:00:00Z'),
  };
  for await (const page of kind.scan(ctx)) return page[0]!;
  throw new Error('no finding');
}

const pricingMock = mockClient(PricingClient);
let handle: Awaited<ReturnType<typeof openMemoryDatabase>>;

function client(): PricingClient {
  return new PricingClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
}

/** The Price List: widgets at `widgetUsd` per hour; nothing for any other service (the bundled book completes it). */
function priceList(widgetUsd: string): void {
  pricingMock.on(GetProductsCommand).callsFake((input: GetProductsCommandInput) => {
    const region = input.Filters?.find((f) => f.Field === 'regionCode')?.Value ?? '';
    return { PriceList: input.ServiceCode === WIDGET_SERVICE ? [widgetProduct(region, widgetUsd)] : [] };
  });
}

function queriedServices(): string[] {
  return pricingMock.commandCalls(GetProductsCommand).map((c) => c.args[0].input.ServiceCode ?? '');
}

beforeEach(async () => {
  pricingMock.reset();
  handle = await openMemoryDatabase();
});
afterEach(async () => {
  await handle.close();
});

describe('a kind that declares its own price key', () => {
  it('is priced from its bundled values by a book over the registry’s keys', async () => {
    const registry = createHandlerRegistry();
    registerBuiltinHandlers(registry);
    const kind = widgetKind();
    registry.register(kind);
    const keys = priceKeysOf(registry);
    expect(keys).toContain(WIDGET_HOUR);

    const book = createBundledPriceBook(keys);
    const f = await scanOne(kind, book, 'us-east-1');
    expect(f.monthlyCost).toBe(182.5); // 730 h × $0.25
    expect(f.costBasis).toBe('widget 730 h × $0.25 (us-east-1)');
    // The shipped prices are unchanged beside it.
    expect(price(book.forRegion('us-east-1')!, EBS_GB_MONTH.gp3)).toBe(0.08);

    // A region only the widget key knows: its prices exist, dated by the widget source; every other price unknown.
    const xx = book.forRegion('xx-widgets-1')!;
    expect(xx.asOf).toBe('2026-01-15');
    expect(priceItems(xx).filter(([, v]) => v !== null)).toEqual([[WIDGET_HOUR.key, 0.5]]);
    expect((await scanOne(kind, book, 'xx-widgets-1')).monthlyCost).toBe(365);

    // Without the kind, the book knows nothing of widgets.
    const shipped = createBundledPriceBook(builtinPriceKeys());
    expect(shipped.forRegion('xx-widgets-1')).toBeNull();
    expect((await scanOne(kind, shipped, 'us-east-1')).monthlyCost).toBeNull();
  });

  it('is fetched from the Price List (its own service and filters), cached, and merged over the bundled book', async () => {
    const registry = createHandlerRegistry();
    registerBuiltinHandlers(registry);
    const kind = widgetKind();
    registry.register(kind);
    priceList('0.3000000000');
    const svc = createPriceService({ db: handle.db, pricingClient: client, priceKeys: () => priceKeysOf(registry), now: () => new Date('2026-06-01T00:00:00Z') });

    expect(await svc.refresh(['us-east-1'])).toEqual({ refreshed: ['us-east-1'], cached: [], fallback: [] });
    const widgetCalls = pricingMock.commandCalls(GetProductsCommand).map((c) => c.args[0].input).filter((i) => i.ServiceCode === WIDGET_SERVICE);
    expect(widgetCalls).toHaveLength(1);
    expect(widgetCalls[0]?.Filters).toEqual([
      { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
      { Type: 'TERM_MATCH', Field: 'productFamily', Value: 'Widget' },
    ]);

    const f = await scanOne(kind, svc.book(), 'us-east-1');
    expect(f.monthlyCost).toBe(219); // 730 h × $0.30, fetched
    expect(f.costBasis).toBe('widget 730 h × $0.30 (us-east-1)');
    const p = svc.book().forRegion('us-east-1')!;
    expect(p.source).toBe('price-list');
    expect(price(p, EBS_GB_MONTH.gp3)).toBe(0.08); // not in the Price List answer: bundled
    expect(price(p, PUBLIC_IPV4_HOUR)).toBe(0.005);

    // A new start reads it from the cache: no call.
    pricingMock.resetHistory();
    const again = createPriceService({ db: handle.db, pricingClient: client, priceKeys: () => priceKeysOf(registry), now: () => new Date('2026-06-02T00:00:00Z') });
    expect(await again.refresh(['us-east-1'])).toEqual({ refreshed: [], cached: ['us-east-1'], fallback: [] });
    expect(queriedServices()).toEqual([]);
    expect((await scanOne(kind, again.book(), 'us-east-1')).monthlyCost).toBe(219);
  });

  it('fetches only the keys of the registered kinds, and refetches a cached region once a kind adds a key', async () => {
    const registry = createHandlerRegistry();
    registerBuiltinHandlers(registry);
    priceList('0.3000000000');
    const svc = createPriceService({ db: handle.db, pricingClient: client, priceKeys: () => priceKeysOf(registry), now: () => new Date('2026-06-01T00:00:00Z') });
    await svc.refresh(['us-east-1']);
    expect(queriedServices()).not.toContain(WIDGET_SERVICE);
    // Nothing fetched (the mock answers only widgets): the shipped kinds fall back to bundled prices.
    expect(svc.book().forRegion('us-east-1')?.source).toBe('bundled');

    // Cache a fresh row for the shipped keys, then register the widget kind: the row does not cover its key.
    const cachedWithout = regionPrices('us-east-1', SHIPPED_KEYS.map((k) => [k, null]), { source: 'price-list', asOf: '2026-06-01' });
    await putCachedPrices(handle.db, cachedWithout, new Date('2026-06-01T00:00:00Z'));
    expect(await svc.refresh(['us-east-1'])).toEqual({ refreshed: [], cached: ['us-east-1'], fallback: [] });
    const unregister = registry.register(widgetKind());
    pricingMock.resetHistory();
    expect((await svc.refresh(['us-east-1'])).refreshed).toEqual(['us-east-1']);
    expect(queriedServices()).toContain(WIDGET_SERVICE);
    expect(price(svc.book().forRegion('us-east-1')!, WIDGET_HOUR)).toBe(0.3);

    unregister();
    pricingMock.resetHistory();
    await svc.refresh(['us-east-1'], { force: true });
    expect(queriedServices()).not.toContain(WIDGET_SERVICE);
  });
});

describe('declared price keys', () => {
  it('a key several kinds use is declared once and listed once', () => {
    const registry = createHandlerRegistry();
    registerBuiltinHandlers(registry);
    const keys = priceKeysOf(registry);
    expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length);
    expect(new Set(keys)).toEqual(new Set(SHIPPED_KEYS));
    expect(new Set(builtinPriceKeys())).toEqual(new Set(SHIPPED_KEYS));
    // EBS gp3 storage: volumes and stopped instances both declare the very same key.
    const users = BUILTIN_HANDLERS.filter((h) => h.priceKeys?.includes(EBS_GB_MONTH.gp3)).map((h) => h.type).sort();
    expect(users).toEqual(['ec2:instance', 'ec2:volume']);
    for (const h of BUILTIN_HANDLERS) expect(h.priceKeys?.length ?? 0, h.type).toBeGreaterThan(0);
  });

  it('refuses two different declarations of one key id', () => {
    const twin: RatePriceKey = { ...WIDGET_HOUR, bundled: bundledFrom({ asOf: '2026-01-15', source: 'another', values: { 'us-east-1': 9 } }) };
    expect(() => collectPriceKeys([[WIDGET_HOUR], [twin]])).toThrow(/madeUpWidgets\.widget\.hour is declared twice/);
    const registry = createHandlerRegistry();
    registry.register(widgetKind());
    registry.register({ ...widgetKind(), type: 'widgets:twin', priceKeys: [twin] });
    expect(() => priceKeysOf(registry)).toThrow(/declared twice/);
  });

  it('never reads 0 or junk as a price: unknown instead', () => {
    const p = regionPrices('us-east-1', [[WIDGET_HOUR, 0]]);
    expect(price(p, WIDGET_HOUR)).toBeNull();
    p.values[WIDGET_HOUR.key] = 'cheap' as never;
    expect(price(p, WIDGET_HOUR)).toBeNull();
    expect(price(regionPrices('us-east-1', []), WIDGET_HOUR)).toBeNull();
    expect(price(regionPrices('us-east-1', [[WIDGET_HOUR, 0.25]]), WIDGET_HOUR)).toBe(0.25);
  });
});
