// Binance REST market data in core's terms: `GET /api/v3/ticker/24hr`,
// `/api/v3/trades`, `/api/v3/klines` and `/api/v3/myTrades` answers -> Ticker,
// PublicTrade, Candle and MyTrade values, every decimal kept exact (BigNumber
// from the wire string).
import BigNumber from 'bignumber.js';
import type { Candle, CandleInterval, MyTrade, PublicTrade, Ticker } from '@hb/core/connector';
import {
  asArray,
  asObject,
  malformed,
  readBoolean,
  readDecimal,
  readNumber,
  readPositiveDecimal,
  readString,
  type SymbolMap,
} from './binance-utils.js';

/** Binance's `interval` parameter for each of core's candle widths (same spelling). */
export const BINANCE_KLINE_INTERVALS: Readonly<Record<CandleInterval, string>> = {
  '1m': '1m',
  '5m': '5m',
  '15m': '15m',
  '1h': '1h',
  '6h': '6h',
  '1d': '1d',
};

const dec = (s: string): BigNumber => new BigNumber(s);

/** `GET /api/v3/ticker/24hr?symbol=` (one symbol: an object). */
export function parseTicker24hr(raw: unknown, symbols: SymbolMap): Ticker {
  const t = asObject(raw, 'ticker/24hr');
  const what = 'ticker/24hr';
  const bid = dec(readDecimal(t, 'bidPrice', what));
  const ask = dec(readDecimal(t, 'askPrice', what));
  return {
    tradingPair: symbols.toPair(readString(t, 'symbol', what)),
    lastPrice: dec(readDecimal(t, 'lastPrice', what)),
    // Binance sends "0.00000000" for an empty side.
    bestBid: bid.isZero() ? undefined : bid,
    bestAsk: ask.isZero() ? undefined : ask,
    open24h: dec(readDecimal(t, 'openPrice', what)),
    high24h: dec(readDecimal(t, 'highPrice', what)),
    low24h: dec(readDecimal(t, 'lowPrice', what)),
    volume24h: dec(readDecimal(t, 'volume', what)),
    quoteVolume24h: dec(readDecimal(t, 'quoteVolume', what)),
    timestamp: readNumber(t, 'closeTime', what),
  };
}

/** `GET /api/v3/trades`: the taker side comes from `isBuyerMaker` (true: the taker sold). */
export function parseRecentTrades(raw: unknown, tradingPair: string): PublicTrade[] {
  return asArray(raw, 'trades').map((row) => {
    const t = asObject(row, 'trade');
    return {
      tradingPair,
      tradeId: String(readNumber(t, 'id', 'trade')),
      price: dec(readPositiveDecimal(t, 'price', 'trade')),
      amount: dec(readDecimal(t, 'qty', 'trade')),
      side: readBoolean(t, 'isBuyerMaker', 'trade') ? 'sell' : 'buy',
      timestamp: readNumber(t, 'time', 'trade'),
    };
  });
}

/**
 * `GET /api/v3/klines`: each row an array `[openTime, open, high, low, close,
 * volume, closeTime, quoteVolume, trades, takerBuyBase, takerBuyQuote, ignore]`.
 */
export function parseKlines(raw: unknown, tradingPair: string, interval: CandleInterval): Candle[] {
  return asArray(raw, 'klines').map((row, i) => {
    const k = asArray(row, `klines[${i}]`);
    if (k.length < 6) throw malformed(`klines[${i}] (fewer than 6 fields)`);
    const o = { t: k[0], o: k[1], h: k[2], l: k[3], c: k[4], v: k[5] };
    const what = `klines[${i}]`;
    return {
      tradingPair,
      interval,
      openTime: readNumber(o, 't', what),
      open: dec(readDecimal(o, 'o', what)),
      high: dec(readDecimal(o, 'h', what)),
      low: dec(readDecimal(o, 'l', what)),
      close: dec(readDecimal(o, 'c', what)),
      volume: dec(readDecimal(o, 'v', what)),
    };
  });
}

/** `GET /api/v3/myTrades` -> the account's fills (no client order id: Binance does not return it). */
export function parseAccountTrades(raw: unknown, symbols: SymbolMap): MyTrade[] {
  return asArray(raw, 'myTrades').map((row) => {
    const t = asObject(row, 'myTrade');
    const what = 'myTrade';
    return {
      tradingPair: symbols.toPair(readString(t, 'symbol', what)),
      tradeId: String(readNumber(t, 'id', what)),
      exchangeOrderId: String(readNumber(t, 'orderId', what)),
      clientOrderId: undefined,
      side: readBoolean(t, 'isBuyer', what) ? 'buy' : 'sell',
      price: dec(readDecimal(t, 'price', what)),
      amount: dec(readDecimal(t, 'qty', what)),
      quoteAmount: dec(readDecimal(t, 'quoteQty', what)),
      fee: { amount: dec(readDecimal(t, 'commission', what)), asset: readString(t, 'commissionAsset', what) },
      isMaker: readBoolean(t, 'isMaker', what),
      timestamp: readNumber(t, 'time', what),
    };
  });
}
