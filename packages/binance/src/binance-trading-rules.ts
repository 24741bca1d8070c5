// exchangeInfo -> core TradingRule per pair (binance.md §3). Binance expresses
// every limit as a filter whose "0" means "no limit"; core uses 0 for "none" on
// minimums and steps but Infinity on maximums, so the mapping is explicit here.
import BigNumber from 'bignumber.js';
import {
  loadTradingRules,
  makeTradingRule,
  type OrderType,
  type TradingRule,
  type TradingRulesResult,
  type WireObject,
} from '@hb/core/connector';
import type {
  BinanceLotSizeFilter,
  BinanceMinNotionalFilter,
  BinanceNotionalFilter,
  BinancePriceFilter,
} from './binance-types.js';
import { asArray, asObject, malformed, readBoolean, readDecimal, readString } from './binance-utils.js';

const INFINITY = new BigNumber(Infinity);

/** Binance order types hb can place, and their core names. */
const ORDER_TYPES: ReadonlyMap<string, OrderType> = new Map([
  ['LIMIT', 'limit'],
  ['LIMIT_MAKER', 'limit_maker'],
  ['MARKET', 'market'],
]);

/** The filters a rule is built from; absent ones impose nothing. */
interface RuleFilters {
  price?: BinancePriceFilter;
  lot?: BinanceLotSizeFilter;
  marketLot?: BinanceLotSizeFilter;
  notional?: BinanceNotionalFilter;
  minNotional?: BinanceMinNotionalFilter;
}

function optionalNumber(o: WireObject, key: string): number {
  const v = o[key];
  return typeof v === 'number' ? v : 0;
}

/** Narrows the filters we interpret; others (PERCENT_PRICE, ...) are enforced by the exchange only. */
function readFilters(raw: unknown, symbol: string): RuleFilters {
  const out: RuleFilters = {};
  for (const item of asArray(raw, `${symbol} filters`)) {
    const f = asObject(item, `${symbol} filter`);
    const what = `${symbol} ${String(f['filterType'])}`;
    switch (f['filterType']) {
      case 'PRICE_FILTER':
        out.price = {
          filterType: 'PRICE_FILTER',
          minPrice: readDecimal(f, 'minPrice', what),
          maxPrice: readDecimal(f, 'maxPrice', what),
          tickSize: readDecimal(f, 'tickSize', what),
        };
        break;
      case 'LOT_SIZE':
      case 'MARKET_LOT_SIZE': {
        const lot: BinanceLotSizeFilter = {
          filterType: f['filterType'],
          minQty: readDecimal(f, 'minQty', what),
          maxQty: readDecimal(f, 'maxQty', what),
          stepSize: readDecimal(f, 'stepSize', what),
        };
        if (lot.filterType === 'LOT_SIZE') out.lot = lot;
        else out.marketLot = lot;
        break;
      }
      case 'NOTIONAL':
        out.notional = {
          filterType: 'NOTIONAL',
          minNotional: readDecimal(f, 'minNotional', what),
          applyMinToMarket: readBoolean(f, 'applyMinToMarket', what),
          maxNotional: readDecimal(f, 'maxNotional', what),
          applyMaxToMarket: readBoolean(f, 'applyMaxToMarket', what),
          avgPriceMins: optionalNumber(f, 'avgPriceMins'),
        };
        break;
      case 'MIN_NOTIONAL':
        out.minNotional = {
          filterType: 'MIN_NOTIONAL',
          minNotional: readDecimal(f, 'minNotional', what),
          applyToMarket: readBoolean(f, 'applyToMarket', what),
          avgPriceMins: optionalNumber(f, 'avgPriceMins'),
        };
        break;
      default:
        if (typeof f['filterType'] !== 'string') throw malformed(`${symbol} filter (no filterType)`);
    }
  }
  return out;
}

/** A minimum or step: "0" already means none in both worlds. */
function min(value: string | undefined): BigNumber {
  return new BigNumber(value ?? 0);
}

/** A maximum: Binance's "0" (disabled) becomes Infinity. */
function max(value: string | undefined): BigNumber {
  const v = new BigNumber(value ?? 0);
  return v.isZero() ? INFINITY : v;
}

/** Size limits of MARKET orders: MARKET_LOT_SIZE where set, LOT_SIZE where it says 0 or is absent. */
export interface MarketLotSize {
  readonly minQty: BigNumber;
  readonly maxQty: BigNumber;
  readonly stepSize: BigNumber;
}

function marketLot(filters: RuleFilters): MarketLotSize {
  const m = filters.marketLot;
  const l = filters.lot;
  const pick = (mv: string | undefined, lv: string | undefined): string | undefined =>
    mv !== undefined && !new BigNumber(mv).isZero() ? mv : lv;
  return {
    minQty: min(pick(m?.minQty, l?.minQty)),
    maxQty: max(pick(m?.maxQty, l?.maxQty)),
    stepSize: min(pick(m?.stepSize, l?.stepSize)),
  };
}

/**
 * One exchangeInfo symbol -> its rule. Sizes come from LOT_SIZE (MARKET_LOT_SIZE
 * only when LOT_SIZE is absent: core's rule has one size grid for all types);
 * min notional from NOTIONAL, else the legacy MIN_NOTIONAL. Tradable only when
 * `status` is TRADING and spot trading is allowed.
 */
export function parseTradingRule(rawSymbol: unknown): TradingRule {
  const s = asObject(rawSymbol, 'exchangeInfo symbol');
  const symbol = readString(s, 'symbol', 'exchangeInfo symbol');
  const tradingPair = `${readString(s, 'baseAsset', symbol)}-${readString(s, 'quoteAsset', symbol)}`;
  const filters = readFilters(s['filters'], symbol);
  const lot = filters.lot ?? filters.marketLot;
  const notional = filters.notional;
  const legacy = filters.minNotional;
  const quotePrecision = s['quoteAssetPrecision'];
  const supported = new Set<OrderType>();
  for (const t of asArray(s['orderTypes'], `${symbol} orderTypes`)) {
    const mapped = typeof t === 'string' ? ORDER_TYPES.get(t) : undefined;
    if (mapped !== undefined) supported.add(mapped);
  }
  return makeTradingRule({
    tradingPair,
    minOrderSize: min(lot?.minQty),
    maxOrderSize: max(lot?.maxQty),
    minBaseAmountIncrement: min(lot?.stepSize),
    minQuoteAmountIncrement:
      typeof quotePrecision === 'number' && Number.isInteger(quotePrecision)
        ? new BigNumber(1).shiftedBy(-quotePrecision)
        : new BigNumber(0),
    minPriceIncrement: min(filters.price?.tickSize),
    minPrice: min(filters.price?.minPrice),
    maxPrice: max(filters.price?.maxPrice),
    minNotional: min(notional?.minNotional ?? legacy?.minNotional),
    minNotionalAppliesToMarket: notional ? notional.applyMinToMarket : legacy ? legacy.applyToMarket : false,
    supportedOrderTypes: supported,
    tradingEnabled: s['status'] === 'TRADING' && readBoolean(s, 'isSpotTradingAllowed', symbol),
  });
}

/** MARKET-order size limits of one exchangeInfo symbol (see {@link MarketLotSize}). */
export function parseMarketLotSize(rawSymbol: unknown): MarketLotSize {
  const s = asObject(rawSymbol, 'exchangeInfo symbol');
  return marketLot(readFilters(s['filters'], readString(s, 'symbol', 'exchangeInfo symbol')));
}

/**
 * `GET /api/v3/exchangeInfo` -> rules. One unreadable symbol is skipped and
 * reported (symbol and reason) rather than failing the whole list; a body that
 * is not exchangeInfo at all throws.
 */
export function parseTradingRules(rawExchangeInfo: unknown): TradingRulesResult {
  const info = asObject(rawExchangeInfo, 'exchangeInfo');
  return loadTradingRules(asArray(info['symbols'], 'exchangeInfo.symbols'), 'symbol', parseTradingRule);
}
