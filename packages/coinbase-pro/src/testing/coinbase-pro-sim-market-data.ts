// The simulator's `GET /products/{id}/stats` and `GET /products/{id}/candles`,
// computed from the engine's retained trades, in Coinbase's shapes: stats as
// decimal strings; candles as `[time (s), low, high, open, close, volume]` rows of
// JSON numbers, newest first, only buckets that traded, at most 300 per answer.
import BigNumber from 'bignumber.js';
import type { EngineTrade } from '@hb/testing';
import { badRequest } from './coinbase-pro-sim-errors.js';
import type { SimProductState } from './coinbase-pro-sim-exchange.js';
import { price as fmtPrice, size8 } from './coinbase-pro-sim-wire.js';

const DAY_MS = 86_400_000;
/** The granularities Coinbase accepts, in seconds. */
export const COINBASE_SIM_GRANULARITIES: readonly number[] = [60, 300, 900, 3600, 21600, 86400];
const MAX_CANDLES = 300;

/** `/stats`: open, high, low, last and volume over the last 24 h, and the 30-day volume. */
export function productStats(m: SimProductState, now: number): Record<string, string> {
  const all = m.engine.recentTrades();
  const day = all.filter((t) => t.timestamp > now - DAY_MS && t.timestamp <= now);
  const month = all.filter((t) => t.timestamp > now - 30 * DAY_MS && t.timestamp <= now);
  const p = (v: BigNumber | undefined): string => (v === undefined ? '0' : fmtPrice(m.product, v));
  const prices = day.map((t) => t.price);
  return {
    open: p(day[0]?.price),
    high: p(prices.length === 0 ? undefined : BigNumber.max(...prices)),
    low: p(prices.length === 0 ? undefined : BigNumber.min(...prices)),
    last: p(all[all.length - 1]?.price),
    volume: size8(sum(day)),
    volume_30day: size8(sum(month)),
  };
}

/**
 * `/candles?granularity=&start=&end=`: `start` and `end` (ISO) are used only
 * together; without them, the most recent 300 buckets. A range of more than 300
 * buckets, or an unknown granularity, is refused with 400 as Coinbase does.
 */
export function productCandles(
  m: SimProductState,
  granularityRaw: string | undefined,
  startRaw: string | undefined,
  endRaw: string | undefined,
  now: number,
): number[][] {
  const granularity = granularityRaw === undefined ? 60 : Number(granularityRaw);
  if (!COINBASE_SIM_GRANULARITIES.includes(granularity)) throw badRequest('Unsupported granularity');
  const width = granularity * 1000;
  let from = -Infinity;
  let to = now;
  if (startRaw !== undefined && endRaw !== undefined) {
    from = Date.parse(startRaw);
    to = Date.parse(endRaw);
    if (!Number.isFinite(from) || !Number.isFinite(to)) throw badRequest('Invalid start or end');
    if ((to - from) / width > MAX_CANDLES)
      throw badRequest(
        'granularity too small for the requested time range. Count of aggregations requested exceeds 300',
      );
  }
  const buckets = new Map<number, EngineTrade[]>();
  for (const t of m.engine.recentTrades()) {
    if (t.timestamp < from || t.timestamp > to) continue;
    const open = Math.floor(t.timestamp / width) * width;
    const list = buckets.get(open);
    if (list === undefined) buckets.set(open, [t]);
    else list.push(t);
  }
  const rows = [...buckets.entries()]
    .sort(([a], [b]) => b - a)
    .slice(0, MAX_CANDLES)
    .map(([open, trades]) => {
      const prices = trades.map((t) => t.price);
      const num = (v: BigNumber): number => Number(fmtPrice(m.product, v));
      return [
        open / 1000,
        num(BigNumber.min(...prices)),
        num(BigNumber.max(...prices)),
        num(prices[0]!),
        num(prices[prices.length - 1]!),
        Number(size8(sum(trades))),
      ];
    });
  return rows;
}

function sum(trades: readonly EngineTrade[]): BigNumber {
  return trades.reduce((acc, t) => acc.plus(t.amount), new BigNumber(0));
}
