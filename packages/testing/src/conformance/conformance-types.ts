import type BigNumber from 'bignumber.js';
import type { BookLevel, Market, OrderSide } from '@hb/core';

/**
 * Faults a connector's simulator can inject. Each is optional: the suite runs a
 * check for every fault the harness provides, and lists the rest as skipped.
 * A sequence fault must hit an update that carries a lasting change (one that
 * later activity does not overwrite), or a tracker without a gap check could
 * pass by luck: harnesses keep a marker level inside the compared depth.
 */
export interface ConformanceFaults {
  /** Drop the public market-data socket(s). */
  dropMarketSocket?(): void | Promise<void>;
  /** Skip one sequence number on the next book update. */
  skipSequence?(): void | Promise<void>;
  /** Send the next book update twice. */
  repeatSequence?(): void | Promise<void>;
  /** Swap the next two book updates. */
  reorderSequence?(): void | Promise<void>;
  /** Send one malformed frame on the market-data socket. */
  malformedMarketFrame?(): void | Promise<void>;
  /**
   * Take the user stream down (and keep it down) while `during` runs, then let it
   * reconnect. Fills that happen meanwhile must still reach the market exactly once.
   */
  withUserStreamDown?(during: () => Promise<void>): Promise<void>;
}

/** One running simulator with a market connected to it, as a check sees it. */
export interface ConformanceEnvironment {
  /** The market under test: created, started and ready. */
  readonly market: Market;
  /** The pair every check trades, `BASE-QUOTE`. */
  readonly tradingPair: string;
  /** The simulator's true L2 book for the pair, best first, `depth` levels a side. */
  trueBook(depth: number): { bids: BookLevel[]; asks: BookLevel[] };
  /** Base amount the simulator's ledger says our order (by client order id) has filled. */
  ledgerFilledAmount(clientOrderId: string): BigNumber;
  /** How many order-placement requests from our account the simulator has received. */
  orderRequestCount(): number;
  /** Runs `steps` actions of the other simulated traders (placing, cancelling, crossing). */
  runActivity(steps: number): Promise<void>;
  /** A price on the tick grid at which an order of ours on `side` rests without crossing. */
  restingPrice(side: OrderSide): BigNumber;
  /** Another trader takes `amount` from our resting order on `side` at `price`. */
  takeFromUs(side: OrderSide, price: BigNumber, amount: BigNumber): Promise<void>;
  /** A new, unstarted market for the same account and simulator (for the restart check). */
  createMarket(): Market;
  /** Faults the simulator can inject. */
  readonly faults: ConformanceFaults;
  /** How long a check waits for the book or an event before failing (default 10 s). */
  readonly waitTimeoutMs?: number;
  /** Stops the market(s) and the simulator. */
  teardown(): Promise<void>;
}

/** What a connector hands the suite: how to start a fresh environment. */
export interface ConformanceHarness {
  /** The connector's name, for test titles. */
  readonly name: string;
  /** The faults every environment from `setup()` provides (checks needing others are skipped, visibly). */
  readonly supportedFaults: readonly (keyof ConformanceFaults)[];
  /** Starts a fresh simulator and a ready market connected to it. */
  setup(): Promise<ConformanceEnvironment>;
}
