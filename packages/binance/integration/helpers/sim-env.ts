// Binance set-up of the integration tests: a simulator with the demo account and
// ready markets pointed at it. The exchange-independent helpers (Cleanup, waitFor,
// insideSpread, restingOrderBy, event-log shorthands) come from @hb/testing.

import { startLoggedMarket, type Cleanup, type EventLog } from '@hb/testing';
import { BinanceMarket, type BinanceMarketOptions } from '../../src/binance-market.js';
import {
  BinanceSimulator,
  binanceTestMarketOptions,
  type BinanceSimulatorOptions,
} from '../../src/testing/index.js';

/** Starts a simulator with the demo account (immediate depth updates by default), closed by `cleanup`. */
export async function startSimulator(
  cleanup: Cleanup,
  options: BinanceSimulatorOptions = {},
): Promise<BinanceSimulator> {
  const sim = await BinanceSimulator.start({ depthMode: 'immediate', demoAccount: true, ...options });
  cleanup.add(() => sim.stop());
  return sim;
}

/** Options of a market on the demo account of `sim` (BTC-USDT unless overridden). */
export const marketOptions = binanceTestMarketOptions;

/** A started, ready market with an event log; stopped by `cleanup`. */
export function startMarket(
  cleanup: Cleanup,
  sim: BinanceSimulator,
  overrides: Partial<BinanceMarketOptions> = {},
): Promise<{ market: BinanceMarket; log: EventLog }> {
  return startLoggedMarket(cleanup, new BinanceMarket(marketOptions(sim, overrides)));
}
