import BigNumber from 'bignumber.js';
import type { Market, MarketEvent, OrderFailureEvent, OrderFilledEvent } from '@hb/core';
import type { Subscription } from 'rxjs';
import { ConformanceFailure } from './conformance-failure.js';

const TERMINAL = new Set<MarketEvent['type']>([
  'BuyOrderCompleted',
  'SellOrderCompleted',
  'OrderCancelled',
  'OrderFailure',
  'OrderExpired',
]);

/** Records a market's events so checks can wait for and validate them. */
export class EventLog {
  readonly events: MarketEvent[] = [];
  private readonly subscription: Subscription;

  /** @param defaultTimeoutMs how long `waitFor` waits unless told otherwise */
  constructor(
    market: Market,
    private readonly defaultTimeoutMs = 10_000,
  ) {
    this.subscription = market.events$.subscribe((e) => this.events.push(e));
  }

  /** Events of one order, in emission order. */
  forOrder(clientOrderId: string): MarketEvent[] {
    return this.events.filter((e) => e.clientOrderId === clientOrderId);
  }

  /** The `OrderFilled` events of one order. */
  fillsOf(clientOrderId: string): OrderFilledEvent[] {
    return this.forOrder(clientOrderId).filter((e): e is OrderFilledEvent => e.type === 'OrderFilled');
  }

  /** The `OrderFailure` of one order; throws (listing what it got) when there is none. */
  failureOf(clientOrderId: string): OrderFailureEvent {
    const e = this.forOrder(clientOrderId).find((x): x is OrderFailureEvent => x.type === 'OrderFailure');
    if (e === undefined) {
      throw new ConformanceFailure(
        `no OrderFailure for ${clientOrderId}: ${describe(this.forOrder(clientOrderId))}`,
      );
    }
    return e;
  }

  /** Sum of the `OrderFilled` amounts of one order. */
  filledAmount(clientOrderId: string): BigNumber {
    return this.forOrder(clientOrderId).reduce(
      (sum, e) => (e.type === 'OrderFilled' ? sum.plus(e.amount) : sum),
      new BigNumber(0),
    );
  }

  /** Waits until `predicate` holds over the log, or fails the check after `timeoutMs`. */
  async waitFor(
    what: string,
    predicate: (events: readonly MarketEvent[]) => boolean,
    timeoutMs = this.defaultTimeoutMs,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (Date.now() > deadline) {
        throw new ConformanceFailure(`timed out waiting for ${what}; events: ${describe(this.events)}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Waits until the order has its terminal event. */
  waitForTerminal(clientOrderId: string, timeoutMs?: number): Promise<void> {
    return this.waitFor(
      `a terminal event of ${clientOrderId}`,
      (events) => events.some((e) => e.clientOrderId === clientOrderId && TERMINAL.has(e.type)),
      timeoutMs,
    );
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

/**
 * Checks one order's events against the market contract: at most one Created,
 * first; each trade id once; at most one terminal event; a Completed only after
 * fills summing to the executed amount it reports. Throws a ConformanceFailure.
 */
export function validateOrderEvents(clientOrderId: string, events: readonly MarketEvent[]): void {
  const mine = events.filter((e) => e.clientOrderId === clientOrderId);
  const fail = (why: string): never => {
    throw new ConformanceFailure(`order ${clientOrderId}: ${why}; events: ${describe(mine)}`);
  };
  const created = mine.filter((e) => e.type === 'BuyOrderCreated' || e.type === 'SellOrderCreated');
  if (created.length > 1) fail(`${created.length} Created events`);
  const fills = mine.filter((e) => e.type === 'OrderFilled');
  if (fills.length > 0 && created.length === 0) fail('a fill without a Created event');
  if (
    created.length === 1 &&
    mine.indexOf(created[0]!) > mine.findIndex((e) => e.type === 'OrderFilled') &&
    fills.length > 0
  ) {
    fail('a fill before the Created event');
  }
  const tradeIds = new Set<string>();
  for (const f of fills) {
    if (f.type !== 'OrderFilled') continue;
    if (tradeIds.has(f.tradeId)) fail(`trade ${f.tradeId} reported twice`);
    tradeIds.add(f.tradeId);
  }
  const terminal = mine.filter((e) => TERMINAL.has(e.type));
  if (terminal.length > 1) fail(`${terminal.length} terminal events`);
  const done = terminal[0];
  if (done && (done.type === 'BuyOrderCompleted' || done.type === 'SellOrderCompleted')) {
    if (fills.length > 0 && mine.indexOf(done) < mine.lastIndexOf(fills[fills.length - 1]!))
      fail('a fill after Completed');
    const sum = fills.reduce((s, e) => (e.type === 'OrderFilled' ? s.plus(e.amount) : s), new BigNumber(0));
    if (!sum.eq(done.executedBaseAmount)) {
      fail(
        `Completed reports ${done.executedBaseAmount.toFixed()} executed but fills sum to ${sum.toFixed()}`,
      );
    }
  }
}

function describe(events: readonly MarketEvent[]): string {
  return JSON.stringify(
    events.map((e) =>
      e.type === 'OrderFilled'
        ? `${e.type}(${e.clientOrderId},${e.tradeId},${e.amount.toFixed()})`
        : `${e.type}(${e.clientOrderId})`,
    ),
  );
}
