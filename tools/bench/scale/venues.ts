/**
 * The two venues of the scale benchmark: how to start each simulator with N
 * markets and how to build each connector's market against it. Both processes
 * import this file, so the simulator and the connector agree on the pairs.
 */
import { createHash } from 'node:crypto';
import type { OrderBook } from '@hb/core/connector';
import { BinanceMarket } from '@hb/binance';
import { BinanceSimulator, generateBinanceSimMarkets } from '@hb/binance/testing';
import { CoinbaseProMarket } from '@hb/coinbase-pro';
import { CoinbaseProSimulator, type CoinbaseSimProductInput } from '@hb/coinbase-pro/testing';

/** The exchanges the benchmark knows. */
export type Venue = 'binance' | 'coinbase-pro';

/** A simulator as the benchmark drives it. */
export interface BenchSimulator {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly tradingPairs: readonly string[];
  /** Synthetic activity: `n` steps spread over the markets now; `run` a rate; `stop`. */
  readonly activity: { stepSpread(n: number): void; run(perSecond: number): void; stop(): void };
  readonly stats: () => { steps: number; connections: number };
  flush(): void;
  trueBook(pair: string): { bids: [number, number][]; asks: [number, number][] };
  stop(): Promise<void>;
}

/** `n` Coinbase products `C1-USD` ... at six price scales, as for Binance. */
export function generateCoinbaseProducts(n: number): CoinbaseSimProductInput[] {
  const scales = [0.5, 3, 45, 600, 7_000, 20_000];
  return Array.from({ length: n }, (_, i) => {
    const mid = scales[i % scales.length]!;
    const tick = mid / 10_000;
    return {
      id: `C${i + 1}-USD`,
      quoteIncrement: tick >= 1 ? String(Math.round(tick)) : tick.toPrecision(1),
      baseIncrement: '0.001',
      minMarketFunds: '0.0001',
      midPrice: String(mid),
    };
  });
}

/** Starts the venue's simulator with `n` markets and Binance's/Coinbase's documented limits. */
export async function startSimulator(venue: Venue, n: number, seed: number): Promise<BenchSimulator> {
  const sim =
    venue === 'binance'
      ? await BinanceSimulator.start({ markets: generateBinanceSimMarkets(n), depthMode: 'interval', seed })
      : await CoinbaseProSimulator.start({ products: generateCoinbaseProducts(n), seed });
  const activity = sim.activity(seed);
  return {
    restUrl: sim.restUrl,
    wsUrl: sim.wsUrl,
    tradingPairs: sim.tradingPairs,
    activity,
    stats: () => ({
      steps: activity.generators.reduce((a, g) => a + g.stats.steps, 0),
      connections:
        sim instanceof BinanceSimulator ? sim.marketConnections().length : sim.feedConnections().length,
    }),
    flush: () => sim.flush(),
    trueBook: (pair) => sim.trueBook(pair),
    stop: () => sim.stop(),
  };
}

/** The venue's market on the simulator's URLs, public data only (no keys). */
export function createMarket(
  venue: Venue,
  urls: { restUrl: string; wsUrl: string },
  pairs: string[],
): BinanceMarket | CoinbaseProMarket {
  const options = { tradingPairs: pairs, restUrl: urls.restUrl, wsUrl: urls.wsUrl };
  return venue === 'binance' ? new BinanceMarket(options) : new CoinbaseProMarket(options);
}

/** A digest of a book's levels, the same for a connector book and a simulator's true book. */
export function bookDigest(bids: Iterable<[number, number]>, asks: Iterable<[number, number]>): string {
  return createHash('sha1')
    .update(JSON.stringify([[...bids], [...asks]]))
    .digest('hex');
}

/** {@link bookDigest} of a connector's book. */
export function orderBookDigest(book: OrderBook): string {
  return bookDigest(book.bidEntries(), book.askEntries());
}
