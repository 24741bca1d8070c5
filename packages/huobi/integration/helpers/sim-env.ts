// Shared set-up of the integration tests: a simulator with fast ping rules and the
// demo account, stopped by the test's cleanup.
import { Cleanup } from '@hb/testing';
import { HuobiSimulator, type HuobiSimulatorOptions } from '../../src/testing/index.js';

/** Starts a simulator with the demo account; `cleanup` stops it. */
export async function startSimulator(
  cleanup: Cleanup,
  options: HuobiSimulatorOptions = {},
): Promise<HuobiSimulator> {
  const sim = await HuobiSimulator.start({ demoAccount: true, seed: 1, ...options });
  cleanup.add(() => sim.stop());
  return sim;
}

/** The book as `[price, amount]` rows, best first, `depth` a side. */
export function bookRows(
  book: {
    bidEntries(depth?: number): Iterable<[number, number]>;
    askEntries(depth?: number): Iterable<[number, number]>;
  },
  depth: number,
): { bids: [number, number][]; asks: [number, number][] } {
  return { bids: [...book.bidEntries(depth)], asks: [...book.askEntries(depth)] };
}
