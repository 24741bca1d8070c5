import BigNumber from 'bignumber.js';
import { OrderRuleError, type BookLevel, type OrderSide } from '@hb/core';
import { ConformanceFailure } from './conformance-failure.js';
import type { ConformanceEnvironment, ConformanceFaults } from './conformance-types.js';
import { EventLog, validateOrderEvents } from './event-log.js';

/** One contract check, run against a fresh environment. */
export interface ConformanceCheck {
  /** Test title. */
  readonly name: string;
  /** The fault the check needs, if any; without it the check is skipped. */
  readonly fault?: keyof ConformanceFaults;
  /** Throws a {@link ConformanceFailure} when the connector breaks the contract. */
  run(env: ConformanceEnvironment): Promise<void>;
}

/** Levels compared between the tracked book and the simulator's. */
const DEPTH = 20;

/** Waits until the tracked book equals the simulator's true book (top {@link DEPTH} levels a side). */
export async function expectBookInSync(
  env: ConformanceEnvironment,
  when: string,
  timeoutMs = env.waitTimeoutMs ?? 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let diff = '';
  for (;;) {
    diff = bookDifference(env);
    if (diff === '') return;
    if (Date.now() > deadline)
      throw new ConformanceFailure(`book differs from the simulator's ${when}: ${diff}`);
    await sleep(20);
  }
}

function bookDifference(env: ConformanceEnvironment): string {
  let book;
  try {
    book = env.market.getOrderBook(env.tradingPair);
  } catch (e) {
    return `no book (${(e as Error).message})`;
  }
  const truth = env.trueBook(DEPTH);
  return (
    sideDifference('bid', [...book.bidEntries(DEPTH)], truth.bids) ||
    sideDifference('ask', [...book.askEntries(DEPTH)], truth.asks)
  );
}

function sideDifference(side: string, got: readonly BookLevel[], want: readonly BookLevel[]): string {
  if (got.length !== want.length) return `${got.length} ${side} levels, want ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const [gp, ga] = got[i]!;
    const [wp, wa] = want[i]!;
    // Order-based books sum amounts in floating point: allow rounding noise only.
    if (gp !== wp || Math.abs(ga - wa) > 1e-9 * Math.max(1, Math.abs(wa))) {
      return `${side} level ${i} is [${gp}, ${ga}], want [${wp}, ${wa}]`;
    }
  }
  return '';
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * A small valid amount: `multiple` times the smallest order the pair accepts at
 * our resting price, counting both the minimum size and the minimum notional
 * (with real filters 4 x the minimum size can be far below the minimum notional).
 */
function orderAmount(env: ConformanceEnvironment, multiple = 4): BigNumber {
  const rule = env.market.tradingRules.get(env.tradingPair);
  if (!rule) throw new ConformanceFailure(`no trading rule for ${env.tradingPair}`);
  const step = rule.minBaseAmountIncrement.gt(0) ? rule.minBaseAmountIncrement : new BigNumber('0.001');
  const price = BigNumber.min(env.restingPrice('buy'), env.restingPrice('sell'));
  const byNotional = rule.minNotional.gt(0) && price.gt(0) ? rule.minNotional.div(price) : new BigNumber(0);
  const min = BigNumber.max(rule.minOrderSize, step, byNotional);
  const amount = min.times(multiple);
  return amount.minus(amount.mod(step)).plus(amount.mod(step).gt(0) ? step : 0);
}

async function placeResting(env: ConformanceEnvironment, log: EventLog, side: OrderSide, amount: BigNumber) {
  const price = env.restingPrice(side);
  const id =
    side === 'buy'
      ? env.market.buy(env.tradingPair, amount, 'limit', price)
      : env.market.sell(env.tradingPair, amount, 'limit', price);
  await log.waitFor(`${id} to be created`, (events) =>
    events.some(
      (e) => e.clientOrderId === id && (e.type === 'BuyOrderCreated' || e.type === 'SellOrderCreated'),
    ),
  );
  return { id, price };
}

function expectLedgerMatches(env: ConformanceEnvironment, log: EventLog, id: string): void {
  const reported = log.filledAmount(id);
  const ledger = env.ledgerFilledAmount(id);
  if (!reported.eq(ledger)) {
    throw new ConformanceFailure(
      `OrderFilled amounts of ${id} sum to ${reported.toFixed()}, the simulator's ledger says ${ledger.toFixed()}`,
    );
  }
}

async function bookCheckAfterFault(
  env: ConformanceEnvironment,
  fault: keyof ConformanceFaults,
): Promise<void> {
  await expectBookInSync(env, 'before the fault');
  const inject = env.faults[fault] as (() => void | Promise<void>) | undefined;
  if (!inject) throw new ConformanceFailure(`fault ${fault} not provided`);
  await inject.call(env.faults);
  await env.runActivity(60);
  await expectBookInSync(env, `after ${fault}`);
}

/** Every check of the suite, in the order they run. */
export const conformanceChecks: readonly ConformanceCheck[] = [
  {
    name: 'book: the tracked book equals the simulator book after market activity',
    async run(env) {
      await env.runActivity(200);
      await expectBookInSync(env, 'after 200 actions');
    },
  },
  ...(
    ['skipSequence', 'repeatSequence', 'reorderSequence', 'dropMarketSocket', 'malformedMarketFrame'] as const
  ).map((fault): ConformanceCheck => ({
    name: `book: the tracked book equals the simulator book after fault ${fault}`,
    fault,
    run: (env) => bookCheckAfterFault(env, fault),
  })),
  {
    name: 'orders: a resting order filled in two parts emits Created, two fills, Completed, once each; fills equal the ledger',
    async run(env) {
      const log = new EventLog(env.market, env.waitTimeoutMs);
      const amount = orderAmount(env);
      const { id, price } = await placeResting(env, log, 'buy', amount);
      const half = amount.div(2).decimalPlaces(amount.decimalPlaces() ?? 8, BigNumber.ROUND_DOWN);
      await env.takeFromUs('buy', price, half);
      await log.waitFor(`a first fill of ${id}`, () => log.filledAmount(id).gt(0));
      await env.takeFromUs('buy', price, amount.minus(half));
      await log.waitForTerminal(id);
      await sleep(100);
      validateOrderEvents(id, log.events);
      const types = log.forOrder(id).map((e) => e.type);
      if (types[0] !== 'BuyOrderCreated' || types[types.length - 1] !== 'BuyOrderCompleted') {
        throw new ConformanceFailure(`unexpected event order for ${id}: ${types.join(', ')}`);
      }
      expectLedgerMatches(env, log, id);
      if (!log.filledAmount(id).eq(amount)) {
        throw new ConformanceFailure(`filled ${log.filledAmount(id).toFixed()} of ${amount.toFixed()}`);
      }
      log.stop();
    },
  },
  {
    name: 'orders: cancel ends a resting order with exactly one OrderCancelled',
    async run(env) {
      const log = new EventLog(env.market, env.waitTimeoutMs);
      const { id } = await placeResting(env, log, 'sell', orderAmount(env));
      await env.market.cancel(env.tradingPair, id);
      await log.waitForTerminal(id);
      await sleep(100);
      validateOrderEvents(id, log.events);
      if (!log.forOrder(id).some((e) => e.type === 'OrderCancelled')) {
        throw new ConformanceFailure(`${id} ended without OrderCancelled`);
      }
      log.stop();
    },
  },
  {
    name: 'orders: cancelAll cancels every active order',
    async run(env) {
      const log = new EventLog(env.market, env.waitTimeoutMs);
      const amount = orderAmount(env);
      const ids = [];
      for (const side of ['buy', 'sell', 'buy'] as const)
        ids.push((await placeResting(env, log, side, amount)).id);
      const results = await env.market.cancelAll(10_000);
      for (const id of ids) {
        const r = results.find((x) => x.clientOrderId === id);
        if (!r?.success)
          throw new ConformanceFailure(`cancelAll did not cancel ${id}: ${JSON.stringify(results)}`);
        validateOrderEvents(id, log.events);
      }
      log.stop();
    },
  },
  {
    name: 'rules: an order under the minimum size is refused before sending, with a typed error',
    async run(env) {
      const rule = env.market.tradingRules.get(env.tradingPair);
      if (!rule || !rule.minOrderSize.gt(0))
        throw new ConformanceFailure('the simulator must set a minimum order size');
      await expectRefused(env, 'min_order_size', rule.minOrderSize.div(2), env.restingPrice('buy'));
    },
  },
  {
    name: 'rules: an order off the price tick is refused before sending, with a typed error',
    async run(env) {
      const rule = env.market.tradingRules.get(env.tradingPair);
      if (!rule || !rule.minPriceIncrement.gt(0))
        throw new ConformanceFailure('the simulator must set a price tick');
      const price = env.restingPrice('buy').plus(rule.minPriceIncrement.div(3));
      await expectRefused(env, 'price_tick', orderAmount(env), price);
    },
  },
  {
    name: 'restart: tracking states survive a restart; a fill made while stopped arrives once, none twice',
    async run(env) {
      const first = env.market;
      const log1 = new EventLog(first, env.waitTimeoutMs);
      const amount = orderAmount(env, 6);
      const { id, price } = await placeResting(env, log1, 'buy', amount);
      const third = amount.div(3).decimalPlaces(amount.decimalPlaces() ?? 8, BigNumber.ROUND_DOWN);
      await env.takeFromUs('buy', price, third);
      await log1.waitFor(`a first fill of ${id}`, () => log1.filledAmount(id).gt(0));
      const saved = JSON.parse(JSON.stringify(first.trackingStates));
      await first.stop();
      log1.stop();

      await env.takeFromUs('buy', price, third);
      const second = env.createMarket();
      const log2 = new EventLog(second, env.waitTimeoutMs);
      second.restoreTrackingStates(saved);
      await second.start();
      await log2.waitFor(`the fill made while stopped`, () =>
        log1.filledAmount(id).plus(log2.filledAmount(id)).eq(third.times(2)),
      );
      await second.cancel(env.tradingPair, id);
      await log2.waitForTerminal(id);
      await sleep(150);
      const all = [...log1.events, ...log2.events];
      validateOrderEvents(id, all);
      const total = log1.filledAmount(id).plus(log2.filledAmount(id));
      const ledger = env.ledgerFilledAmount(id);
      if (!total.eq(ledger))
        throw new ConformanceFailure(
          `fills across the restart sum to ${total.toFixed()}, ledger ${ledger.toFixed()}`,
        );
      log2.stop();
      await second.stop();
    },
  },
  {
    name: 'user stream: a partial fill while the user stream is down arrives exactly once',
    fault: 'withUserStreamDown',
    async run(env) {
      const log = new EventLog(env.market, env.waitTimeoutMs);
      const amount = orderAmount(env);
      const { id, price } = await placeResting(env, log, 'sell', amount);
      const half = amount.div(2).decimalPlaces(amount.decimalPlaces() ?? 8, BigNumber.ROUND_DOWN);
      await env.faults.withUserStreamDown!(() => env.takeFromUs('sell', price, half));
      await log.waitFor(
        `the fill made while the stream was down`,
        () => log.filledAmount(id).eq(half),
        20_000,
      );
      await env.takeFromUs('sell', price, amount.minus(half));
      await log.waitForTerminal(id, 20_000);
      await sleep(150);
      validateOrderEvents(id, log.events);
      expectLedgerMatches(env, log, id);
      log.stop();
    },
  },
];

async function expectRefused(
  env: ConformanceEnvironment,
  rule: string,
  amount: BigNumber,
  price: BigNumber,
): Promise<void> {
  const log = new EventLog(env.market, env.waitTimeoutMs);
  const before = env.orderRequestCount();
  const id = env.market.buy(env.tradingPair, amount, 'limit', price);
  await log.waitForTerminal(id, 2_000);
  const events = log.forOrder(id);
  const failure = events.find((e) => e.type === 'OrderFailure');
  if (!failure || failure.type !== 'OrderFailure') {
    throw new ConformanceFailure(
      `expected OrderFailure for ${id}, got ${events.map((e) => e.type).join(', ')}`,
    );
  }
  if (!(failure.error instanceof OrderRuleError) || failure.error.rule !== rule) {
    throw new ConformanceFailure(
      `expected an OrderRuleError(${rule}), got ${failure.error.name}: ${failure.error.message}`,
    );
  }
  await sleep(50);
  if (env.orderRequestCount() !== before)
    throw new ConformanceFailure('a refused order was sent to the exchange');
  log.stop();
}
