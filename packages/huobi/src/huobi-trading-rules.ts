// Trading rules from Huobi's reference data (huobi.md §3). Two shapes exist: the
// classic `/v1/common/symbols` with hyphenated names and the newer
// `/v1/settings/common/market-symbols` with short ones (`pp`, `ap`, `minoa`...);
// both are read. Precisions become grids: tick = 10^-price-precision, size step
// = 10^-amount-precision, quote step = 10^-value-precision.
import BigNumber from 'bignumber.js';
import {
  SymbolMap,
  createWireReaders,
  loadSymbolList,
  makeTradingRule,
  type SkippedSymbol,
  type SymbolAssets,
  type TradingRule,
  type WireObject,
} from '@hb/core/connector';
import { HUOBI_EXCHANGE } from './huobi-constants.js';

const wire = createWireReaders(HUOBI_EXCHANGE);

/** What the reference data yields: rules per pair, the symbol map, and the rows that could not be read. */
export interface HuobiReferenceData {
  readonly rules: TradingRule[];
  /** `btcusdt` <-> `BTC-USDT` for every readable row. */
  readonly symbols: SymbolMap;
  /** Rows that could not be read, each with its reason (reported, never dropped silently). */
  readonly skipped: SkippedSymbol[];
}

/** Field names of the two reference-data shapes. */
const CLASSIC = {
  base: 'base-currency',
  quote: 'quote-currency',
  pricePrecision: 'price-precision',
  amountPrecision: 'amount-precision',
  valuePrecision: 'value-precision',
  minAmount: 'min-order-amt',
  maxAmount: 'max-order-amt',
  limitMinAmount: 'limit-order-min-order-amt',
  limitMaxAmount: 'limit-order-max-order-amt',
  minValue: 'min-order-value',
  apiTrading: 'api-trading',
} as const;

const SHORT = {
  base: 'bc',
  quote: 'qc',
  pricePrecision: 'pp',
  amountPrecision: 'ap',
  valuePrecision: 'vp',
  minAmount: 'minoa',
  maxAmount: 'maxoa',
  limitMinAmount: 'lominoa',
  limitMaxAmount: 'lomaxoa',
  minValue: 'minov',
  apiTrading: 'at',
} as const;

/** `10^-precision` as an exact decimal. */
function grid(precision: number): BigNumber {
  return new BigNumber(1).shiftedBy(-precision);
}

/** A number field (reference data sends JSON numbers) as an exact decimal, or undefined. */
function optionalDecimal(o: WireObject, key: string, what: string): BigNumber | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' && typeof v !== 'string') throw wire.malformed(`${what}.${key}`);
  const b = new BigNumber(String(v));
  if (!b.isFinite() || b.isNegative()) throw wire.malformed(`${what}.${key} (not a non-negative number)`);
  return b;
}

function precision(o: WireObject, key: string, what: string): number {
  const n = wire.readNumber(o, key, what);
  if (!Number.isInteger(n) || n < 0 || n > 20) throw wire.malformed(`${what}.${key} (not a precision)`);
  return n;
}

/** One reference-data row: its symbol and its rule. */
function parseRow(raw: unknown): { assets: SymbolAssets; rule: TradingRule } {
  const row = wire.asObject(raw, 'symbol');
  const f = 'bc' in row ? SHORT : CLASSIC;
  const what = `symbol ${String(row['symbol'])}`;
  const symbol = wire.readString(row, 'symbol', what);
  const base = wire.readString(row, f.base, what).toUpperCase();
  const quote = wire.readString(row, f.quote, what).toUpperCase();
  const state = wire.readString(row, 'state', what);
  const apiTrading = wire.readOptionalString(row, f.apiTrading, what);
  const minSize = optionalDecimal(row, f.limitMinAmount, what) ?? optionalDecimal(row, f.minAmount, what);
  const maxSize = optionalDecimal(row, f.limitMaxAmount, what) ?? optionalDecimal(row, f.maxAmount, what);
  const rule = makeTradingRule({
    tradingPair: `${base}-${quote}`,
    minPriceIncrement: grid(precision(row, f.pricePrecision, what)),
    minBaseAmountIncrement: grid(precision(row, f.amountPrecision, what)),
    minQuoteAmountIncrement: grid(precision(row, f.valuePrecision, what)),
    ...(minSize === undefined ? {} : { minOrderSize: minSize }),
    ...(maxSize === undefined || maxSize.isZero() ? {} : { maxOrderSize: maxSize }),
    minNotional: optionalDecimal(row, f.minValue, what) ?? new BigNumber(0),
    // The minimum value applies to limit and buy-market orders.
    minNotionalAppliesToMarket: true,
    // `online` is the only tradable state; `api-trading` must also be enabled.
    tradingEnabled: state === 'online' && (apiTrading === undefined || apiTrading === 'enabled'),
  });
  return { assets: { symbol, baseAsset: base, quoteAsset: quote }, rule };
}

/**
 * Parses either reference-data answer (the whole envelope). A row that cannot
 * be read is reported in `skipped` with its symbol; the others still load.
 */
export function parseHuobiSymbols(body: unknown): HuobiReferenceData {
  const envelope = wire.asObject(body, 'symbols answer');
  const rows = wire.asArray(envelope['data'], 'symbols answer.data');
  const { items, skipped } = loadSymbolList(rows, 'symbol', parseRow);
  return {
    rules: items.map((i) => i.rule),
    symbols: new SymbolMap(
      HUOBI_EXCHANGE,
      items.map((i) => i.assets),
      skipped,
    ),
    skipped,
  };
}
