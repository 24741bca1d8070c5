// Coinbase set-up of the integration tests: a simulator with the demo key and ready
// markets pointed at it. The exchange-independent helpers (Cleanup, waitFor,
// insideSpread, restingOrderBy, event-log shorthands) come from @hb/testing.

import { startLoggedMarket, type Cleanup, type EventLog } from '@hb/testing';
import { CoinbaseProMarket, type CoinbaseProMarketOptions } from '../../src/coinbase-pro-market.js';
import {
  CoinbaseProSimulator,
  coinbaseProTestMarketOptions,
  type CoinbaseProSimulatorOptions,
} from '../../src/testing/index.js';

/** Starts a simulator with the demo account, closed by `cleanup`. */
export async function startSimulator(
  cleanup: Cleanup,
  options: CoinbaseProSimulatorOptions = {},
): Promise<CoinbaseProSimulator> {
  const sim = await CoinbaseProSimulator.start({ demoAccount: true, ...options });
  cleanup.add(() => sim.stop());
  return sim;
}

/** A started, ready market on the demo key (BTC-USD unless overridden) with an event log; stopped by `cleanup`. */
export function startMarket(
  cleanup: Cleanup,
  sim: CoinbaseProSimulator,
  overrides: Partial<CoinbaseProMarketOptions> = {},
): Promise<{ market: CoinbaseProMarket; log: EventLog }> {
  return startLoggedMarket(cleanup, new CoinbaseProMarket(coinbaseProTestMarketOptions(sim, overrides)));
}
