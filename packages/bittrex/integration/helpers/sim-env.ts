// Bittrex set-up of the integration tests: a simulator with the demo account and
// ready markets pointed at it. The exchange-independent helpers (Cleanup, waitFor,
// insideSpread, restingOrderBy, event-log shorthands) come from @hb/testing.
import { startLoggedMarket, type Cleanup, type EventLog } from '@hb/testing';
import { BittrexMarket, type BittrexMarketOptions } from '../../src/bittrex-market.js';
import {
  bittrexTestMarketOptions,
  startTestSimulator,
  type BittrexSimulator,
  type BittrexSimulatorOptions,
} from '../../src/testing/index.js';

/** Starts a simulator with the demo account and the test request limit, stopped by `cleanup`. */
export async function startSimulator(
  cleanup: Cleanup,
  options: BittrexSimulatorOptions = {},
): Promise<BittrexSimulator> {
  const sim = await startTestSimulator(options);
  cleanup.add(() => sim.stop());
  return sim;
}

/** Options of a market on the demo account of `sim` (BTC-USDT unless overridden). */
export const marketOptions = bittrexTestMarketOptions;

/** A started, ready market with an event log; stopped by `cleanup`. */
export function startMarket(
  cleanup: Cleanup,
  sim: BittrexSimulator,
  overrides: Partial<BittrexMarketOptions> = {},
): Promise<{ market: BittrexMarket; log: EventLog }> {
  return startLoggedMarket(cleanup, new BittrexMarket(marketOptions(sim, overrides)));
}
