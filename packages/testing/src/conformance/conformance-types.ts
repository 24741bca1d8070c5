import type BigNumber from 'bignumber.js';
import type { BookLevel, ConnectorCapabilities, Market, OrderSide } from '@hb/core';
import type { HostileFrameFaults } from './hostile-checks.js';

/**
 * Faults a connector's simulator can inject. A check whose fault the harness
 * does not provide fails with "not implemented: fault <name>": a simulator
 * must offer them all (only capabilities the connector declares unsupported
 * are skipped).
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
  /**
   * The next order placement fails. `applied`: whether the exchange placed the
   * order anyway (the unknown-outcome case); `outcome`: no answer at all
   * (`timeout`) or a 5xx status.
   */
  failNextPlacement?(options: { readonly applied: boolean; readonly outcome: 'timeout' | number }): void;
  /** The next order placement is refused, unapplied, with 429 and `Retry-After: retryAfterSec`. */
  rateLimitNextPlacement?(retryAfterSec: number): void;
  /** The exchange's clock moves by `ms` (negative: it falls behind ours). */
  skewExchangeClock?(ms: number): void;
  /**
   * Hostile frames in the exchange's wire format (negative, huge, NaN, empty and
   * wrong-typed values, inverted ranges, unknown message types), for the checks
   * that such frames never reach the book or become fills (hostile-checks.ts).
   */
  readonly hostileFrames?: HostileFrameFaults;
}

/** The API key of {@link MarketVariant.wrongCredentials}: no exchange account has it. */
export const WRONG_API_KEY = 'hbConformanceWrongKey0000000000000000000000000001';

/** A variation on the environment's market options, for checks that need a different market. */
export interface MarketVariant {
  /** Built with {@link WRONG_API_KEY} and a secret the exchange does not know. */
  readonly wrongCredentials?: boolean;
  /** Without the user stream: the order path must settle by REST alone. */
  readonly useUserStream?: boolean;
  /** Placement and cancel timeout, ms. */
  readonly requestTimeoutMs?: number;
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
  /** A new, unstarted market for the same account and simulator (restart), optionally varied. */
  createMarket(variant?: MarketVariant): Market;
  /** Whether the exchange holds an order with this client order id (in any state). */
  exchangeHasOrder(clientOrderId: string): boolean;
  /** REST requests the exchange received carrying `apiKey`. */
  requestsWithKey(apiKey: string): number;
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
  /**
   * What the connector declares it supports (its exported capabilities): the
   * suite skips a check only when this says the feature is unsupported, and
   * says so in the test title.
   */
  readonly capabilities: ConnectorCapabilities;
  /** Starts a fresh simulator and a ready market connected to it. */
  setup(): Promise<ConformanceEnvironment>;
}
