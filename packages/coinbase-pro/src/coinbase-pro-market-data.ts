// Coinbase Exchange REST market data in core's terms: `GET /products/{id}/ticker`
// + `/stats`, `/trades`, `/candles` and `GET /fills` answers -> Ticker,
// PublicTrade, Candle and MyTrade values, every decimal exact (BigNumber from the
// wire string; candles come as JSON numbers and are read from their shortest
// decimal form).
import BigNumber from 'bignumber.js';
import type { Candle, CandleInterval, MyTrade, PublicTrade, Ticker } from '@hb/core/connector';
import {
  asArray,
  asObject,
  malformed,
  quoteOf,
  readDecimal,
  readNumber,
  readOptionalDecimal,
  readOptionalString,
  readPositiveDecimal,
  readSide,
  readString,
  readTime,
  toTradingPair,
} from './coinbase-pro-utils.js';

/** Coinbase's `granularity` (seconds) for each of core's candle widths. */
export const COINBASE_PRO_GRANULARITY: Readonly<Record<CandleInterval, number>> = {
  '1m': 60,
  '5m': 300,
  '15m': 900,
  '1h': 3600,
  '6h': 21600,
  '1d': 86400,
};

/** Most candles one `GET /products/{id}/candles` answers. */
export const COINBASE_PRO_MAX_CANDLES = 300;

const dec = (s: string): BigNumber => new BigNumber(s);

/** `/products/{id}/ticker` (last trade, top of book) and `/products/{id}/stats` (24 h) -> one Ticker. */
export function parseTicker(tickerRaw: unknown, statsRaw: unknown, tradingPair: string): Ticker {
  const t = asObject(tickerRaw, 'ticker');
  const s = asObject(statsRaw, 'stats');
  // An empty side comes as "" (or is absent).
  const side = (key: string): string | undefined =>
    readOptionalString(t, key, 'ticker') === '' ? undefined : readOptionalDecimal(t, key, 'ticker');
  const bid = side('bid');
  const ask = side('ask');
  return {
    tradingPair,
    lastPrice: dec(readDecimal(t, 'price', 'ticker')),
    bestBid: bid === undefined ? undefined : dec(bid),
    bestAsk: ask === undefined ? undefined : dec(ask),
    open24h: dec(readDecimal(s, 'open', 'stats')),
    high24h: dec(readDecimal(s, 'high', 'stats')),
    low24h: dec(readDecimal(s, 'low', 'stats')),
    volume24h: dec(readDecimal(s, 'volume', 'stats')),
    // Coinbase reports no quote volume.
    quoteVolume24h: undefined,
    timestamp: readTime(t, 'time', 'ticker'),
  };
}

/**
 * `/products/{id}/trades` (newest first) -> PublicTrades, oldest first. `side` on
 * the wire is the MAKER's side: `sell` means the taker bought.
 */
export function parseRecentTrades(raw: unknown, tradingPair: string): PublicTrade[] {
  return asArray(raw, 'trades')
    .map((row) => {
      const t = asObject(row, 'trade');
      const makerSide = readSide(t, 'side', 'trade');
      return {
        tradingPair,
        tradeId: String(readNumber(t, 'trade_id', 'trade')),
        price: dec(readPositiveDecimal(t, 'price', 'trade')),
        amount: dec(readDecimal(t, 'size', 'trade')),
        side: makerSide === 'sell' ? ('buy' as const) : ('sell' as const),
        timestamp: readTime(t, 'time', 'trade'),
      };
    })
    .reverse();
}

/** `/products/{id}/candles`: rows `[time (s), low, high, open, close, volume]`, newest first -> Candles, oldest first. */
export function parseCandles(raw: unknown, tradingPair: string, interval: CandleInterval): Candle[] {
  return asArray(raw, 'candles')
    .map((row, i) => {
      const k = asArray(row, `candles[${i}]`);
      const n = (j: number): BigNumber => {
        const v = k[j];
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
          throw malformed(`candles[${i}][${j}] (not a non-negative number)`);
        return new BigNumber(String(v));
      };
      if (k.length < 6) throw malformed(`candles[${i}] (fewer than 6 fields)`);
      const time = k[0];
      if (typeof time !== 'number' || !Number.isInteger(time))
        throw malformed(`candles[${i}][0] (not a time)`);
      return {
        tradingPair,
        interval,
        openTime: time * 1000,
        low: n(1),
        high: n(2),
        open: n(3),
        close: n(4),
        volume: n(5),
      };
    })
    .reverse();
}

/** `/fills?product_id=` (newest first) -> the account's fills, oldest first; `side` is our order's side. */
export function parseAccountFills(raw: unknown): MyTrade[] {
  return asArray(raw, 'fills')
    .map((row) => {
      const f = asObject(row, 'fill');
      const productId = readString(f, 'product_id', 'fill');
      const price = dec(readDecimal(f, 'price', 'fill'));
      const size = dec(readDecimal(f, 'size', 'fill'));
      return {
        tradingPair: toTradingPair(productId),
        tradeId: String(readNumber(f, 'trade_id', 'fill')),
        exchangeOrderId: readString(f, 'order_id', 'fill'),
        clientOrderId: undefined,
        side: readSide(f, 'side', 'fill'),
        price,
        amount: size,
        quoteAmount: price.times(size),
        fee: { amount: dec(readDecimal(f, 'fee', 'fill')), asset: quoteOf(productId) },
        isMaker: readString(f, 'liquidity', 'fill') === 'M',
        timestamp: readTime(f, 'created_at', 'fill'),
      };
    })
    .reverse();
}
