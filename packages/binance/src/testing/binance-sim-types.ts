// Configuration and public value types of the Binance simulator.

import type { SimAccountInput, SimulatorCommonOptions } from '@hb/testing';
import type { BinanceSimLimits } from './binance-sim-weights.js';

/** One market as the simulator lists it in exchangeInfo; all decimals as strings. */
export interface BinanceSimMarket {
  /** Hummingbot pair, `BTC-USDT`. */
  readonly pair: string;
  /** Exchange symbol, `BTCUSDT`. */
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** exchangeInfo `status`; only `TRADING` accepts orders. */
  readonly status: string;
  /** PRICE_FILTER. */
  readonly tickSize: string;
  readonly minPrice: string;
  readonly maxPrice: string;
  /** LOT_SIZE. */
  readonly stepSize: string;
  readonly minQty: string;
  readonly maxQty: string;
  /** NOTIONAL. */
  readonly minNotional: string;
  readonly maxNotional: string;
  /** MARKET_LOT_SIZE `maxQty` (its minQty and stepSize are 0, as on most real symbols). */
  readonly marketMaxQty: string;
  /** MAX_NUM_ORDERS. */
  readonly maxNumOrders: number;
  /** Where the activity generator quotes around. */
  readonly midPrice: string;
}

/** A market in the options: the pair, plus anything that differs from the defaults. */
export type BinanceSimMarketInput = Partial<BinanceSimMarket> & { readonly pair: string };

/** An API account: what `createAccount` takes (key, secret, starting balances, fees). */
export type BinanceSimAccountInput = SimAccountInput;

/** A registered API account. The ledger account name is the API key. */
export interface BinanceSimAccount {
  readonly apiKey: string;
  /** Binance's `uid`. */
  readonly uid: number;
}

/**
 * How depth updates leave the server.
 * - `interval`: batched per 100 ms (`@depth@100ms`) and 1000 ms (`@depth`), as Binance.
 * - `immediate`: one event per engine call, sent as soon as the call returns.
 * - `manual`: only on {@link BinanceSimulator.flush}.
 */
export type DepthMode = 'interval' | 'immediate' | 'manual';

/**
 * Options of `BinanceSimulator.start`. Default fees are 0.001 / 0.001 (10 bps, as
 * Binance's base tier); the seed is that of the generated client order ids.
 */
export interface BinanceSimulatorOptions extends SimulatorCommonOptions<BinanceSimAccountInput> {
  /** Markets; default BTC-USDT, ETH-USDT, ETH-BTC. */
  readonly markets?: readonly BinanceSimMarketInput[];
  /** Depth update batching; default `interval`. */
  readonly depthMode?: DepthMode;
  /** WebSocket ping frame interval; default 20 000 ms. */
  readonly pingIntervalMs?: number;
  /** Connections that have not answered a ping for this long are dropped; default 60 000 ms. */
  readonly pongTimeoutMs?: number;
  /** Rate limits to enforce (defaults: Binance's). */
  readonly limits?: Partial<BinanceSimLimits>;
  /**
   * Also send an `executionReport` with `x: "REJECTED"` for orders the REST call
   * refused. Real Binance does not (the REST error is the only answer); default false.
   */
  readonly rejectedExecutionReports?: boolean;
}

/** The demo account's credentials and balances (for `hb demo`). */
export const DEMO_ACCOUNT: Required<Omit<BinanceSimAccountInput, 'fees'>> = {
  apiKey: 'hb-demo-api-key',
  apiSecret: 'hb-demo-api-secret',
  balances: { BTC: '1', ETH: '10', USDT: '100000' },
};

/** The simulator's default markets. */
export const DEFAULT_BINANCE_SIM_MARKETS: readonly BinanceSimMarketInput[] = [
  {
    pair: 'BTC-USDT',
    tickSize: '0.01',
    stepSize: '0.00001',
    minQty: '0.00001',
    minNotional: '5',
    midPrice: '30000',
  },
  {
    pair: 'ETH-USDT',
    tickSize: '0.01',
    stepSize: '0.0001',
    minQty: '0.0001',
    minNotional: '5',
    midPrice: '2000',
  },
  {
    pair: 'ETH-BTC',
    tickSize: '0.00001',
    minPrice: '0.00001',
    stepSize: '0.0001',
    minQty: '0.0001',
    minNotional: '0.0001',
    midPrice: '0.06',
  },
];

/** Fills in a market's defaults. */
export function resolveMarket(input: BinanceSimMarketInput): BinanceSimMarket {
  const [base, quote] = input.pair.split('-');
  if (base === undefined || quote === undefined || base === '' || quote === '') {
    throw new Error(`BinanceSimulator: pair must be BASE-QUOTE, got ${input.pair}`);
  }
  const tick = input.tickSize ?? '0.01';
  return {
    pair: input.pair,
    baseAsset: input.baseAsset ?? base,
    quoteAsset: input.quoteAsset ?? quote,
    symbol: input.symbol ?? `${base}${quote}`.toUpperCase(),
    status: input.status ?? 'TRADING',
    tickSize: tick,
    minPrice: input.minPrice ?? tick,
    maxPrice: input.maxPrice ?? '1000000',
    stepSize: input.stepSize ?? '0.00001',
    minQty: input.minQty ?? input.stepSize ?? '0.00001',
    maxQty: input.maxQty ?? '9000',
    minNotional: input.minNotional ?? '5',
    maxNotional: input.maxNotional ?? '9000000',
    marketMaxQty: input.marketMaxQty ?? '120',
    maxNumOrders: input.maxNumOrders ?? 200,
    midPrice: input.midPrice ?? '100',
  };
}

/**
 * `n` synthetic markets for scale tests and benchmarks: `C1-USDT`, `C2-USDT`, ...
 * (symbols `C1USDT`, ...), mid prices from 0.5 to 20 000 at six scales so
 * numbers vary in length, each with a tick a ten-thousandth of its price.
 */
export function generateBinanceSimMarkets(n: number): BinanceSimMarketInput[] {
  const scales = [0.5, 3, 45, 600, 7_000, 20_000];
  return Array.from({ length: n }, (_, i) => {
    const mid = scales[i % scales.length]!;
    const tick = mid / 10_000;
    const tickText = tick >= 1 ? String(Math.round(tick)) : tick.toPrecision(1);
    return {
      pair: `C${i + 1}-USDT`,
      tickSize: tickText,
      minPrice: tickText,
      stepSize: '0.001',
      minQty: '0.001',
      minNotional: '0.0001',
      midPrice: String(mid),
    };
  });
}
