import BigNumber from 'bignumber.js';
import {
  OrderRuleError,
  isHbError,
  splitTradingPair,
  type BookLevel,
  type ConnectorCapabilities,
  type Market,
  type MarketNotice,
  type OrderSide,
  type StreamErrorEvent,
} from '@hb/core';
import { ConformanceFailure } from './conformance-failure.js';
import {
  WRONG_API_KEY,
  type ConformanceEnvironment,
  type ConformanceFaults,
  type MarketVariant,
} from './conformance-types.js';
import { EventLog, validateOrderEvents } from './event-log.js';
import { checkHostileFills, checkHostileMarketFrames } from './hostile-checks.js';

/** One contract check, run against a fresh environment. */
export interface ConformanceCheck {
  /** Test title. */
  readonly name: string;
  /** The fault the check needs, if any; a harness without it fails the check as not implemented. */
  readonly fault?: keyof ConformanceFaults;
  /**
   * Why the check does not apply to a connector with these capabilities, or
   * undefined when it does: the suite skips it only then, with this reason.
   */
  readonly unsupported?: (capabilities: ConnectorCapabilities) => string | undefined;
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
  const inject = faultOf(env, fault) as () => void | Promise<void>;
  await inject.call(env.faults);
  if (fault === 'repeatSequence') {
    // No activity yet: a stale copy applied now stays wrong until the next
    // update happens to reveal it, so a tracker without duplicate detection
    // must fail here rather than be rescued by a later re-sync.
    await expectBookInSync(env, 'right after the repeated update, before any other activity');
  }
  await env.runActivity(60);
  await expectBookInSync(env, `after ${fault}`);
}

/** The fault's injector; a harness without it fails the check (a simulator must offer every fault). */
export function faultOf<K extends keyof ConformanceFaults>(
  env: ConformanceEnvironment,
  fault: K,
): NonNullable<ConformanceFaults[K]> {
  const inject = env.faults[fault];
  if (inject === undefined) throw new ConformanceFailure(`not implemented: fault ${fault} in the harness`);
  return inject as NonNullable<ConformanceFaults[K]>;
}

const needsSequencedBook = (c: ConnectorCapabilities): string | undefined =>
  c.sequencedBook ? undefined : 'the exchange does not number its book updates (capabilities.sequencedBook)';
const needsUserStream = (c: ConnectorCapabilities): string | undefined =>
  c.userStream ? undefined : 'the connector has no user stream (capabilities.userStream)';
const needsLookupByClientId = (c: ConnectorCapabilities): string | undefined =>
  c.lookupByClientOrderId
    ? undefined
    : 'orders cannot be looked up by client order id (capabilities.lookupByClientOrderId)';
const needsLimitOrders = (c: ConnectorCapabilities): string | undefined =>
  c.orderTypes.includes('limit')
    ? undefined
    : 'the connector places no limit orders (capabilities.orderTypes)';

/** Which seed requirement a check belongs to. */
export type ConformanceGroup = 'book' | 'orders' | 'user stream';

/** The group of a check, from its name's prefix (`book:`, `user stream:`, `restart:`; the rest are the order path). */
export function groupOf(check: ConformanceCheck): ConformanceGroup {
  if (check.name.startsWith('book:')) return 'book';
  if (check.name.startsWith('user stream:') || check.name.startsWith('restart:')) return 'user stream';
  return 'orders';
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
    unsupported: ['skipSequence', 'repeatSequence', 'reorderSequence'].includes(fault)
      ? needsSequencedBook
      : undefined,
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
    name: 'wire: hostile market frames (negative, huge, NaN, empty, wrong-typed, inverted, unknown) never reach the book',
    fault: 'hostileFrames',
    run: (env) => checkHostileMarketFrames(env, faultOf(env, 'hostileFrames')),
  },
  {
    name: 'wire: hostile fills (negative, huge, NaN, wrong-typed, more than the order) never become OrderFilled or a completion',
    fault: 'hostileFrames',
    unsupported: (c) => needsUserStream(c) ?? needsLimitOrders(c),
    run: (env) => checkHostileFills(env, faultOf(env, 'hostileFrames'), orderAmount(env)),
  },
  {
    name: 'user stream: a partial fill while the user stream is down arrives exactly once',
    fault: 'withUserStreamDown',
    unsupported: needsUserStream,
    async run(env) {
      const log = new EventLog(env.market, env.waitTimeoutMs);
      const amount = orderAmount(env);
      const { id, price } = await placeResting(env, log, 'sell', amount);
      const half = amount.div(2).decimalPlaces(amount.decimalPlaces() ?? 8, BigNumber.ROUND_DOWN);
      await faultOf(env, 'withUserStreamDown')(() => env.takeFromUs('sell', price, half));
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
  ...orderPathChecks(),
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

// ------------------------------------------------------------- order path v2

/** A market of the environment with a variant, started; with keys it must become ready. */
async function startVariant(
  env: ConformanceEnvironment,
  variant: MarketVariant,
): Promise<{ market: Market; log: EventLog; notices: MarketNotice[] }> {
  const market = env.createMarket(variant);
  const log = new EventLog(market, env.waitTimeoutMs);
  const notices: MarketNotice[] = [];
  market.notices$.subscribe((n) => notices.push(n));
  await market.start();
  if (variant.wrongCredentials !== true) await market.waitUntilReady(env.waitTimeoutMs ?? 10_000);
  return { market, log, notices };
}

function typesOf(log: EventLog, id: string): string {
  return log
    .forOrder(id)
    .map((e) => e.type)
    .join(', ');
}

/** The check's order: one small resting buy. */
function restingBuy(env: ConformanceEnvironment, market: Market): string {
  return market.buy(env.tradingPair, orderAmount(env), 'limit', env.restingPrice('buy'));
}

function expectSentOnce(env: ConformanceEnvironment, before: number, id: string): void {
  const sent = env.orderRequestCount() - before;
  if (sent !== 1) throw new ConformanceFailure(`${id} was sent ${sent} times, want exactly once`);
}

/** An order whose placement outcome is unknown but that the exchange placed: found again, never failed. */
async function expectFoundAgain(
  env: ConformanceEnvironment,
  variant: MarketVariant,
  outcome: 'timeout' | number,
) {
  const { market, log } = await startVariant(env, variant);
  const before = env.orderRequestCount();
  faultOf(env, 'failNextPlacement')({ applied: true, outcome });
  const id = restingBuy(env, market);
  await log.waitFor(
    `${id} to be found again and created`,
    (events) => events.some((e) => e.clientOrderId === id && e.type === 'BuyOrderCreated'),
    15_000,
  );
  await sleep(300);
  if (typesOf(log, id) !== 'BuyOrderCreated')
    throw new ConformanceFailure(
      `${id} (placed, answer ${outcome}): events ${typesOf(log, id)}, want BuyOrderCreated only`,
    );
  if (!env.exchangeHasOrder(id)) throw new ConformanceFailure(`${id} is not on the exchange`);
  expectSentOnce(env, before, id);
  log.stop();
  await market.stop();
}

/** An order whose placement outcome is unknown and that the exchange never got: failed as not found, never resent. */
async function expectNotFoundFailure(
  env: ConformanceEnvironment,
  variant: MarketVariant,
  outcome: 'timeout' | number,
) {
  const { market, log } = await startVariant(env, variant);
  const before = env.orderRequestCount();
  faultOf(env, 'failNextPlacement')({ applied: false, outcome });
  const id = restingBuy(env, market);
  await log.waitForTerminal(id, 20_000);
  const failure = log.forOrder(id).find((e) => e.type === 'OrderFailure');
  if (typesOf(log, id) !== 'OrderFailure' || failure?.type !== 'OrderFailure')
    throw new ConformanceFailure(
      `${id} (not placed, answer ${outcome}): events ${typesOf(log, id)}, want OrderFailure`,
    );
  if (failure.error.reason !== 'order_not_found')
    throw new ConformanceFailure(
      `${id} failed as ${failure.error.reason}, want order_not_found (after lookups)`,
    );
  if (env.exchangeHasOrder(id)) throw new ConformanceFailure(`${id} is on the exchange after all`);
  expectSentOnce(env, before, id);
  log.stop();
  await market.stop();
}

/**
 * The generic order-path scenarios every connector used to write for itself:
 * unknown outcomes (timeout, 5xx, applied or not), 429, clock skew,
 * insufficient funds and a wrong key.
 */
function orderPathChecks(): ConformanceCheck[] {
  const noStream: MarketVariant = { useUserStream: false, requestTimeoutMs: 1_000 };
  return [
    {
      name: 'unknown outcome: a placement that timed out but was placed is found by client order id: Created once, never failed, sent once',
      fault: 'failNextPlacement',
      unsupported: needsLookupByClientId,
      // Without the user stream, the lookup by client order id is the only way to learn of it.
      run: (env) => expectFoundAgain(env, noStream, 'timeout'),
    },
    {
      name: 'unknown outcome: a placement that timed out and never arrived fails as order_not_found, and is never sent twice',
      fault: 'failNextPlacement',
      unsupported: needsLookupByClientId,
      run: (env) => expectNotFoundFailure(env, noStream, 'timeout'),
    },
    {
      name: 'unknown outcome: a 5xx to a placement that was placed: Created once, never failed, sent once',
      fault: 'failNextPlacement',
      unsupported: needsLookupByClientId,
      run: (env) => expectFoundAgain(env, {}, 503),
    },
    {
      name: 'unknown outcome: a 5xx to a placement that never arrived fails as order_not_found, and is never sent twice',
      fault: 'failNextPlacement',
      unsupported: needsLookupByClientId,
      run: (env) => expectNotFoundFailure(env, {}, 503),
    },
    {
      // DESIGN.md: a 429/418 is the exchange refusing the request before it runs, so
      // the order fails (nothing was placed); the limiter then holds the next call back.
      name: 'rate limit: a 429 fails the order as rate_limit with nothing placed, and the next order waits out Retry-After',
      fault: 'rateLimitNextPlacement',
      unsupported: needsLimitOrders,
      async run(env) {
        const log = new EventLog(env.market, env.waitTimeoutMs);
        faultOf(env, 'rateLimitNextPlacement')(1);
        const first = restingBuy(env, env.market);
        await log.waitForTerminal(first);
        const failure = log.forOrder(first).find((e) => e.type === 'OrderFailure');
        if (failure?.type !== 'OrderFailure' || failure.error.reason !== 'rate_limit')
          throw new ConformanceFailure(
            `${first} after a 429: events ${typesOf(log, first)}, want OrderFailure(rate_limit)`,
          );
        if (failure.error.retryAfterMs !== 1_000)
          throw new ConformanceFailure(
            `the rate_limit error carries retryAfterMs ${failure.error.retryAfterMs}, want 1000`,
          );
        if (env.exchangeHasOrder(first))
          throw new ConformanceFailure(`${first} is on the exchange after a 429`);
        const refusedAt = Date.now();
        const second = restingBuy(env, env.market);
        await log.waitFor(`${second} to be created`, (events) =>
          events.some((e) => e.clientOrderId === second && e.type === 'BuyOrderCreated'),
        );
        // The refusal was answered shortly before refusedAt; a margin for that.
        const waited = Date.now() - refusedAt;
        if (waited < 800)
          throw new ConformanceFailure(
            `the next order went out ${waited} ms after a 429 with Retry-After: 1`,
          );
        log.stop();
      },
    },
    {
      name: 'clock skew: a refusal for our timestamp re-syncs the clock and the order is placed once, not failed',
      fault: 'skewExchangeClock',
      unsupported: needsLimitOrders,
      async run(env) {
        const log = new EventLog(env.market, env.waitTimeoutMs);
        const before = env.orderRequestCount();
        // The exchange's clock falls 40 s behind ours: every exchange's window is narrower.
        faultOf(env, 'skewExchangeClock')(-40_000);
        const id = restingBuy(env, env.market);
        await log.waitFor(`${id} to be created`, (events) =>
          events.some(
            (e) => e.clientOrderId === id && (e.type === 'BuyOrderCreated' || e.type === 'OrderFailure'),
          ),
        );
        await sleep(200);
        if (typesOf(log, id) !== 'BuyOrderCreated')
          throw new ConformanceFailure(
            `${id} under clock skew: events ${typesOf(log, id)}, want BuyOrderCreated`,
          );
        const sent = env.orderRequestCount() - before;
        // Refused once for the timestamp, resent once after the re-sync (or placed at once
        // when a poll re-synced first); never more.
        if (sent < 1 || sent > 2)
          throw new ConformanceFailure(`${id} was sent ${sent} times under clock skew`);
        log.stop();
      },
    },
    {
      name: 'funds: an order the account cannot pay for fails as insufficient_funds (sent once, nothing placed)',
      unsupported: needsLimitOrders,
      async run(env) {
        const log = new EventLog(env.market, env.waitTimeoutMs);
        const rule = env.market.tradingRules.get(env.tradingPair);
        if (!rule) throw new ConformanceFailure(`no trading rule for ${env.tradingPair}`);
        const price = env.restingPrice('buy');
        const { quote } = splitTradingPair(env.tradingPair);
        const total = env.market.getBalance(quote);
        const step = rule.minBaseAmountIncrement.gt(0) ? rule.minBaseAmountIncrement : new BigNumber('0.001');
        const wanted = total.times(2).div(price).plus(orderAmount(env));
        const amount = wanted.minus(wanted.mod(step)).plus(step);
        if (amount.gt(rule.maxOrderSize))
          throw new ConformanceFailure(
            `the demo account is too rich to overspend within the maximum order size`,
          );
        const before = env.orderRequestCount();
        const id = env.market.buy(env.tradingPair, amount, 'limit', price);
        await log.waitForTerminal(id);
        const failure = log.forOrder(id).find((e) => e.type === 'OrderFailure');
        if (failure?.type !== 'OrderFailure' || failure.error.reason !== 'insufficient_funds')
          throw new ConformanceFailure(
            `${id} beyond the balance: events ${typesOf(log, id)} (${failure?.type === 'OrderFailure' ? failure.error.reason : '-'}), want OrderFailure(insufficient_funds)`,
          );
        if (env.exchangeHasOrder(id) && !env.ledgerFilledAmount(id).isZero())
          throw new ConformanceFailure(`${id} traded beyond the balance`);
        expectSentOnce(env, before, id);
        log.stop();
      },
    },
    {
      name: 'authentication: a wrong key reaches the user as a typed authentication error and is not retried forever',
      async run(env) {
        const market = env.createMarket({ wrongCredentials: true });
        const log = new EventLog(market, env.waitTimeoutMs);
        const notices: MarketNotice[] = [];
        const userStreamErrors: StreamErrorEvent[] = [];
        const subs = [
          market.notices$.subscribe((n) => notices.push(n)),
          market.streamErrors$.subscribe((e) => {
            if (e.source === 'user_stream') userStreamErrors.push(e);
          }),
        ];
        try {
          const started = await market.start().then(
            () => true,
            (e: unknown) => {
              if (isHbError(e) && e.reason === 'authentication') return false; // refused at start, typed
              throw new ConformanceFailure(
                `start() with a wrong key threw ${String(e)}, want an authentication error`,
              );
            },
          );
          if (started) {
            const surfaced = (): boolean =>
              notices.some((n) => 'error' in n && n.error.reason === 'authentication') ||
              userStreamErrors.some((e) => e.error.reason === 'authentication');
            await waitUntil(
              'an authentication error to reach the user',
              surfaced,
              env.waitTimeoutMs ?? 10_000,
            );
            if (market.tradingRules.has(env.tradingPair)) {
              const id = restingBuy(env, market);
              await log.waitForTerminal(id);
              const failure = log.forOrder(id).find((e) => e.type === 'OrderFailure');
              if (failure?.type !== 'OrderFailure' || failure.error.reason !== 'authentication')
                throw new ConformanceFailure(
                  `an order with a wrong key: events ${typesOf(log, id)}, want OrderFailure(authentication)`,
                );
            }
            // The user stream logs in with the key too: its refusal must reach the
            // user as a typed, fatal stream error (a retryable one is retried forever).
            if (market.capabilities.userStream) {
              await waitUntil(
                'the user stream to report the refused key (streamErrors$, source user_stream)',
                () => userStreamErrors.length > 0,
                env.waitTimeoutMs ?? 10_000,
              );
            }
          }
          for (const e of userStreamErrors) {
            if (e.error.reason !== 'authentication' || !e.fatal)
              throw new ConformanceFailure(
                `the user stream reported the wrong key as ${e.error.reason}${e.fatal ? '' : ', not fatal'}: want a fatal authentication error`,
              );
          }
          if (userStreamErrors.length > 0) {
            if (market.liveStatus.userStream?.status === 'live' || market.status.userStreamInitialized)
              throw new ConformanceFailure('the user stream is reported live with a refused key');
          }
          // Retrying cannot fix a wrong key: after the error, at most a couple of
          // requests, and no new login of the user stream.
          const first = env.requestsWithKey(WRONG_API_KEY);
          const streamRefusals = userStreamErrors.length;
          await sleep(3_000);
          const more = env.requestsWithKey(WRONG_API_KEY) - first;
          if (more > 2)
            throw new ConformanceFailure(
              `${more} more requests with the refused key within 3 s: retried as if it could succeed`,
            );
          const moreStream = userStreamErrors.length - streamRefusals;
          if (moreStream > 0)
            throw new ConformanceFailure(
              `the user stream was refused ${moreStream} more times within 3 s: it retries the refused key`,
            );
        } finally {
          subs.forEach((s) => s.unsubscribe());
          log.stop();
          await market.stop();
        }
      },
    },
  ];
}

async function waitUntil(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new ConformanceFailure(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
