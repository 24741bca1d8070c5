// `GET /markets` -> trading rules (bittrex.md §3). Tick = 10^-precision (more
// decimals in a limit price is RATE_PRECISION_NOT_ALLOWED); minimum size =
// minTradeSize; quantities take up to 8 decimals (no per-market step is
// published); status ONLINE/OFFLINE. No minimum notional is published: the dust
// rule's thresholds are unconfirmed, so none is enforced locally.
import BigNumber from 'bignumber.js';
import { SymbolMap, type OrderType, type TradingRule } from '@hb/core/connector';
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

/** The symbol map of the listed markets (Bittrex's symbols are already `BASE-QUOTE`). */
export function symbolMapOf(markets: readonly BittrexMarketInfo[]): SymbolMap {
  return new SymbolMap(
    BITTREX_EXCHANGE,
    markets.map((m) => ({
      symbol: m.symbol,
      baseAsset: m.baseCurrencySymbol,
      quoteAsset: m.quoteCurrencySymbol,
    })),
  );
}

const ORDER_TYPES: ReadonlySet<OrderType> = new Set(['limit', 'limit_maker', 'market']);

/** Parses `GET /markets`. */
export function parseMarkets(body: unknown): BittrexMarketInfo[] {
  return asArray(body, 'markets').map((m, i) => {
    const what = `markets[${i}]`;
    const o = asObject(m, what);
    const precision = readNumber(o, 'precision', what);
    if (!Number.isInteger(precision) || precision < 0 || precision > 18) throw malformed(`${what}.precision`);
    const status = readString(o, 'status', what);
    if (status !== 'ONLINE' && status !== 'OFFLINE') throw malformed(`${what}.status (${status})`);
    const symbol = readString(o, 'symbol', what);
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
  });
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

/** `GET /markets` -> rules for every listed market. */
export function parseTradingRules(body: unknown): TradingRule[] {
  return parseMarkets(body).map(toTradingRule);
}
