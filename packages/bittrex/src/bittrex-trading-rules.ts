// `GET /markets` -> trading rules (bittrex.md §3). Tick = 10^-precision (more
// decimals in a limit price is RATE_PRECISION_NOT_ALLOWED); minimum size =
// minTradeSize; quantities take up to 8 decimals (no per-market step is
// published); status ONLINE/OFFLINE. No minimum notional is published: the dust
// rule's thresholds are unconfirmed, so none is enforced locally.
import BigNumber from 'bignumber.js';
import {
  SymbolMap,
  loadSymbolList,
  type OrderType,
  type SkippedSymbol,
  type TradingRule,
  type TradingRulesResult,
} from '@hb/core/connector';
import { BITTREX_EXCHANGE, BITTREX_QUANTITY_DECIMALS } from './bittrex-constants.js';
import { asArray, asObject, malformed, readNumber, readString, readUnsigned } from './bittrex-utils.js';

/** One listed market as the connector keeps it. */
export interface BittrexMarketInfo {
  readonly symbol: string;
  readonly baseCurrencySymbol: string;
  readonly quoteCurrencySymbol: string;
  readonly minTradeSize: BigNumber;
  readonly precision: number;
  readonly online: boolean;
}

/** `GET /markets` as read: the markets, and every entry that could not be read with why. */
export interface BittrexMarketList {
  readonly markets: readonly BittrexMarketInfo[];
  readonly skipped: readonly SkippedSymbol[];
}

/**
 * The symbol map of the listed markets (Bittrex's symbols are already
 * `BASE-QUOTE`), carrying the entries that were skipped.
 */
export function symbolMapOf(list: BittrexMarketList): SymbolMap {
  return new SymbolMap(
    BITTREX_EXCHANGE,
    list.markets.map((m) => ({
      symbol: m.symbol,
      baseAsset: m.baseCurrencySymbol,
      quoteAsset: m.quoteCurrencySymbol,
    })),
    list.skipped,
  );
}

const ORDER_TYPES: ReadonlySet<OrderType> = new Set(['limit', 'limit_maker', 'market']);

/**
 * Parses `GET /markets`. An unreadable entry (a new status, a missing field) is
 * skipped and reported with its symbol and why, and the other markets load: one
 * odd listing must not take every market down. A body that is not the list throws.
 */
export function parseMarkets(body: unknown): BittrexMarketList {
  const { items, skipped } = loadSymbolList(asArray(body, 'markets'), 'symbol', parseMarket);
  return { markets: items, skipped };
}

/** One `/markets` entry. */
function parseMarket(entry: unknown): BittrexMarketInfo {
  const o = asObject(entry, 'markets entry');
  const symbol = readString(o, 'symbol', 'markets entry');
  const what = `market ${symbol}`;
  const precision = readNumber(o, 'precision', what);
  if (!Number.isInteger(precision) || precision < 0 || precision > 18) throw malformed(`${what}.precision`);
  const status = readString(o, 'status', what);
  if (status !== 'ONLINE' && status !== 'OFFLINE') throw malformed(`${what}.status (${status})`);
  const base = readString(o, 'baseCurrencySymbol', what);
  const quote = readString(o, 'quoteCurrencySymbol', what);
  if (symbol !== `${base}-${quote}`) throw malformed(`${what}.symbol (not BASE-QUOTE)`);
  return {
    symbol,
    baseCurrencySymbol: base,
    quoteCurrencySymbol: quote,
    minTradeSize: new BigNumber(readUnsigned(o, 'minTradeSize', what)),
    precision,
    online: status === 'ONLINE',
  };
}

/** A market -> core's trading rule. */
export function toTradingRule(m: BittrexMarketInfo): TradingRule {
  return {
    tradingPair: m.symbol,
    minOrderSize: m.minTradeSize,
    maxOrderSize: new BigNumber(Infinity),
    minPriceIncrement: new BigNumber(10).pow(-m.precision),
    minBaseAmountIncrement: new BigNumber(10).pow(-BITTREX_QUANTITY_DECIMALS),
    minQuoteAmountIncrement: new BigNumber(10).pow(-BITTREX_QUANTITY_DECIMALS),
    minPrice: new BigNumber(0),
    maxPrice: new BigNumber(Infinity),
    minNotional: new BigNumber(0),
    minNotionalAppliesToMarket: false,
    supportedOrderTypes: ORDER_TYPES,
    tradingEnabled: m.online,
  };
}

/** `GET /markets` -> rules for every readable market, and the entries skipped (see {@link parseMarkets}). */
export function parseTradingRules(body: unknown): TradingRulesResult {
  return tradingRulesOf(parseMarkets(body));
}

/** The trading rules of a market list, its skipped entries reported with them. */
export function tradingRulesOf(list: BittrexMarketList): TradingRulesResult {
  return { rules: list.markets.map(toTradingRule), skipped: list.skipped };
}
