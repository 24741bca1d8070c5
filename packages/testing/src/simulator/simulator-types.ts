// Value types every exchange simulator shares: its accounts, its start options, and
// what the exchange-independent part (SimulatorBase) needs to know of its markets.

import type BigNumber from 'bignumber.js';
import type { SimClock } from '../clock/sim-clock.js';
import type { BalanceLedger } from '../engine/balance-ledger.js';
import type { EngineOrder } from '../engine/engine-types.js';
import type { MatchingEngine } from '../engine/matching-engine.js';
import type { MarketActivityGenerator, MarketActivityOptions } from '../activity/market-activity.js';

/** Maker and taker fee rates as fractions (0.001 = 10 bps). */
export interface SimFeeRates {
  readonly maker: BigNumber.Value;
  readonly taker: BigNumber.Value;
}

/**
 * An API account of a simulated exchange: what its `createAccount` takes. An
 * exchange adds what its signing needs (Coinbase's passphrase).
 */
export interface SimAccountInput {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Starting free balances by asset (`{ BTC: '1', USDT: '10000' }`). */
  readonly balances?: Readonly<Record<string, BigNumber.Value>>;
  /** Maker/taker fee rates; default the simulator's. */
  readonly fees?: SimFeeRates;
}

/** The start options every simulator takes; an exchange adds its own (limits, modes). */
export interface SimulatorCommonOptions<A extends SimAccountInput> {
  /** API accounts to create at start. */
  readonly accounts?: readonly A[];
  /** Create the exchange's demo account: `true`, or overrides of it. */
  readonly demoAccount?: boolean | Partial<A>;
  /** Default maker/taker fee rates; default the exchange's entry tier. */
  readonly fees?: SimFeeRates;
  /** Server clock; default a real-time SimClock. */
  readonly clock?: SimClock;
  /** Seed of the simulator's generated ids; default 1. */
  readonly seed?: number;
}

/**
 * One market of a simulator as the exchange-independent part sees it: its names,
 * assets and grids, and its engine. A simulator describes each of its markets so
 * once; everything else about a market (filters, status flags) stays the exchange's.
 */
export interface SimulatedMarket {
  /** Hummingbot pair, `BASE-QUOTE`. */
  readonly pair: string;
  /** The exchange's own name (`BTCUSDT`, `BTC-USD`); every lookup accepts it too. */
  readonly id: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** Price grid. */
  readonly tickSize: BigNumber.Value;
  /** Where the synthetic traders quote around. */
  readonly midPrice: BigNumber.Value;
  /** The synthetic traders' amount unit: their orders are 1..maxSteps of it. */
  readonly activityStepSize: BigNumber.Value;
  readonly engine: MatchingEngine;
}

/** What SimulatorBase needs of the simulated exchange behind a wire protocol. */
export interface SimVenue {
  /** The balance ledger every market's engine settles on. */
  readonly ledger: BalanceLedger;
  /** The markets, in listing order. */
  readonly markets: readonly SimulatedMarket[];
  /** An account's order by client order id on any market (open, or finished while retained). */
  orderByClientId(apiKey: string, clientOrderId: string): EngineOrder | undefined;
}

/** One REST request as the simulator received it (before any fault). */
export interface SimRequestLogEntry {
  readonly method: string;
  readonly path: string;
  /** The exchange's API-key header, when sent. */
  readonly apiKey: string | undefined;
  /** Server time of arrival. */
  readonly time: number;
}

/** A switched-on outage; `restore()` ends it. */
export interface OutageHandle {
  restore(): void;
}

/** Synthetic market activity over a simulator's markets. */
export interface SimActivity {
  /** One generator per market, in market order. */
  readonly generators: readonly MarketActivityGenerator[];
  /** Runs `n` steps on every market (round robin), synchronously. */
  step(n?: number): void;
  /** Steps every market every `intervalMs` (timers unref'd) until {@link stop}. */
  start(intervalMs: number): void;
  /**
   * `n` steps in all, each on a market drawn at random (seeded): the cost is
   * that of the changes made, whatever the number of markets.
   */
  stepSpread(n: number): void;
  /**
   * About `stepsPerSecond` steps a second in all, spread over the markets at
   * random, from one unref'd timer (every `tickMs`, default 10: small batches keep the servers answering) until
   * {@link stop}. Unlike {@link start}, 1,000 quiet markets cost nothing.
   */
  run(stepsPerSecond: number, tickMs?: number): void;
  /** Stops {@link start} and {@link run}. */
  stop(): void;
}

/** Options of a simulator's `activity()`. */
export interface SimActivityOptions {
  /** Only these markets, by pair or exchange name (default all). */
  readonly pairs?: readonly string[];
  /** Passed to each generator (rates, traders, levels, maxSteps, drift, stepSize...). */
  readonly generator?: Partial<
    Omit<MarketActivityOptions, 'engine' | 'ledger' | 'seed' | 'midPrice' | 'tickSize'>
  >;
}
