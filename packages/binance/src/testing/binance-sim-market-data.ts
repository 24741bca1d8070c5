// The simulator's `GET /api/v3/ticker/24hr` and `GET /api/v3/klines`, computed from
// the engine's retained trades and live book, in Binance's shapes: every decimal an
// 8-place string, a ticker with no trade in 24 h all zeros with firstId/lastId -1,
// klines as 12-element arrays with empty intervals carried at the previous close.
import BigNumber from 'bignumber.js';
import type { EngineTrade } from '@hb/testing';
import { BinanceSimError, illegalChars, mandatoryParam } from './binance-sim-errors.js';
import type { SimMarketState } from './binance-sim-exchange.js';
import { dec } from './binance-sim-wire.js';

const DAY_MS = 86_400_000;

/** Binance's kline intervals, with their width in ms (months are left out: not a fixed width). */
export const BINANCE_SIM_KLINE_INTERVALS: Readonly<Record<string, number>> = {
  '1s': 1_000,
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': DAY_MS,
  '3d': 3 * DAY_MS,
  '1w': 7 * DAY_MS,
};

/** One `GET /api/v3/ticker/24hr` object (FULL type). */
export interface BinanceSimTicker24hr {
  symbol: string;
  priceChange: string;
  priceChangePercent: string;
  weightedAvgPrice: string;
  prevClosePrice: string;
  lastPrice: string;
  lastQty: string;
  bidPrice: string;
  bidQty: string;
  askPrice: string;
  askQty: string;
  openPrice: string;
  highPrice: string;
  lowPrice: string;
  volume: string;
  quoteVolume: string;
  openTime: number;
  closeTime: number;
  firstId: number;
  lastId: number;
  count: number;
}

/** A kline row: `[openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, takerBuyBase, takerBuyQuote, "0"]`. */
export type BinanceSimKline = [
  number,
  string,
  string,
  string,
  string,
  string,
  number,
  string,
  number,
  string,
  string,
  string,
];

/** The rolling 24-hour statistics of one market at `now`. */
export function ticker24hr(m: SimMarketState, now: number): BinanceSimTicker24hr {
  const all = m.engine.recentTrades();
  const window = all.filter((t) => t.timestamp > now - DAY_MS && t.timestamp <= now);
  const before = all.filter((t) => t.timestamp <= now - DAY_MS);
  const prevClose = before.length > 0 ? before[before.length - 1]!.price : undefined;
  const topBid = m.engine.levels('bid', 1)[0];
  const topAsk = m.engine.levels('ask', 1)[0];
  const book = {
    bidPrice: dec(topBid?.[0]),
    bidQty: dec(topBid?.[1]),
    askPrice: dec(topAsk?.[0]),
    askQty: dec(topAsk?.[1]),
  };
  if (window.length === 0) {
    return {
      symbol: m.market.symbol,
      priceChange: dec(0),
      priceChangePercent: '0.000',
      weightedAvgPrice: dec(0),
      prevClosePrice: dec(prevClose),
      lastPrice: dec(0),
      lastQty: dec(0),
      ...book,
      openPrice: dec(0),
      highPrice: dec(0),
      lowPrice: dec(0),
      volume: dec(0),
      quoteVolume: dec(0),
      openTime: now - DAY_MS,
      closeTime: now,
      firstId: -1,
      lastId: -1,
      count: 0,
    };
  }
  const first = window[0]!;
  const last = window[window.length - 1]!;
  const volume = sum(window, (t) => t.amount);
  const quoteVolume = sum(window, (t) => t.quoteAmount);
  const change = last.price.minus(first.price);
  return {
    symbol: m.market.symbol,
    priceChange: dec(change),
    priceChangePercent: change.div(first.price).times(100).toFixed(3, BigNumber.ROUND_HALF_UP),
    weightedAvgPrice: dec(quoteVolume.div(volume)),
    prevClosePrice: dec(prevClose),
    lastPrice: dec(last.price),
    lastQty: dec(last.amount),
    ...book,
    openPrice: dec(first.price),
    highPrice: dec(BigNumber.max(...window.map((t) => t.price))),
    lowPrice: dec(BigNumber.min(...window.map((t) => t.price))),
    volume: dec(volume),
    quoteVolume: dec(quoteVolume),
    openTime: first.timestamp,
    closeTime: last.timestamp,
    firstId: first.tradeId,
    lastId: last.tradeId,
    count: window.length,
  };
}

/**
 * `GET /api/v3/klines`: `symbol` and `interval` required; `startTime`/`endTime`
 * optional; `limit` default 500, at most 1000. Without `startTime` the most recent
 * klines; with it, the first `limit` from there. The kline in progress is included.
 */
export function klines(
  m: SimMarketState,
  params: Readonly<Record<string, string>>,
  now: number,
): BinanceSimKline[] {
  const intervalName = params['interval'];
  if (intervalName === undefined || intervalName === '') throw mandatoryParam('interval');
  const width = BINANCE_SIM_KLINE_INTERVALS[intervalName];
  if (width === undefined) throw new BinanceSimError(-1120, 'Invalid interval.');
  const startTime = timeParam(params, 'startTime');
  const endTime = timeParam(params, 'endTime') ?? now;
  const limitRaw = params['limit'];
  let limit = 500;
  if (limitRaw !== undefined) {
    if (!/^[0-9]{1,10}$/.test(limitRaw) || Number(limitRaw) < 1) throw illegalChars('limit', '1..1000');
    limit = Math.min(Number(limitRaw), 1000);
  }
  const trades = m.engine.recentTrades().filter((t) => t.timestamp <= endTime);
  if (trades.length === 0) return [];
  const bucketOf = (ts: number): number => Math.floor(ts / width) * width;
  const firstBucket = Math.max(
    bucketOf(trades[0]!.timestamp),
    startTime === undefined ? 0 : bucketOf(startTime),
  );
  const lastBucket = bucketOf(endTime);
  const rows: BinanceSimKline[] = [];
  let prevClose: BigNumber | undefined;
  let i = 0;
  // Trades before the first bucket only set the carried close.
  while (i < trades.length && trades[i]!.timestamp < firstBucket) prevClose = trades[i++]!.price;
  for (let open = firstBucket; open <= lastBucket; open += width) {
    const inBucket: EngineTrade[] = [];
    while (i < trades.length && trades[i]!.timestamp < open + width) inBucket.push(trades[i++]!);
    if (inBucket.length === 0) {
      if (prevClose === undefined) continue;
      rows.push([
        open,
        dec(prevClose),
        dec(prevClose),
        dec(prevClose),
        dec(prevClose),
        dec(0),
        open + width - 1,
        dec(0),
        0,
        dec(0),
        dec(0),
        '0',
      ]);
      continue;
    }
    const prices = inBucket.map((t) => t.price);
    const takerBuys = inBucket.filter((t) => t.takerSide === 'buy');
    rows.push([
      open,
      dec(prices[0]),
      dec(BigNumber.max(...prices)),
      dec(BigNumber.min(...prices)),
      dec(prices[prices.length - 1]),
      dec(sum(inBucket, (t) => t.amount)),
      open + width - 1,
      dec(sum(inBucket, (t) => t.quoteAmount)),
      inBucket.length,
      dec(sum(takerBuys, (t) => t.amount)),
      dec(sum(takerBuys, (t) => t.quoteAmount)),
      '0',
    ]);
    prevClose = prices[prices.length - 1];
  }
  return startTime === undefined ? rows.slice(-limit) : rows.slice(0, limit);
}

function timeParam(params: Readonly<Record<string, string>>, name: string): number | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  if (!/^[0-9]{1,16}$/.test(raw)) throw illegalChars(name, '0..9');
  return Number(raw);
}

function sum(trades: readonly EngineTrade[], pick: (t: EngineTrade) => BigNumber): BigNumber {
  return trades.reduce((acc, t) => acc.plus(pick(t)), new BigNumber(0));
}
