import BigNumber from 'bignumber.js';
import { NEVER, Subject, type Observable } from 'rxjs';
import {
  HbError,
  InFlightOrder,
  ProtocolError,
  MarketBase,
  OrderBookTracker,
  OrderRuleError,
  UserStreamTracker,
  makeTradingRule,
  noSequenceRule,
  type BalanceUpdate,
  type ConnectorCapabilities,
  type MarketEvent,
  type MarketNotice,
  type OrderBookTrackerDataSource,
  type OrderUpdate,
  type PlaceOrderResult,
  type SnapshotMessage,
  type TradeUpdate,
  type TradingRule,
  type UserStreamEvent,
  type UserStreamUpdate,
  prefixedClientOrderIds,
  type SkippedSymbol,
} from '../../src/kit/index.js';

const PAIR = 'BTC-USDT';

/** A user-stream event of the fake exchange: already parsed updates, or garbage. */
type FakeEvent = { updates: UserStreamUpdate[] } | { garbage: true };

const bookSource: OrderBookTrackerDataSource = {
  fetchTradingPairs: async () => [PAIR],
  getSnapshot: async (): Promise<SnapshotMessage> => ({
    type: 'snapshot',
    tradingPair: PAIR,
    updateId: 1,
    timestamp: 0,
    bids: [[99, 1]],
    asks: [[101, 1]],
  }),
  listenForDiffs: () => NEVER,
  listenForTrades: () => NEVER,
};

/**
 * An in-memory connector: each hook is a jest mock the test programs, so the
 * tests exercise MarketBase's own logic (rules, unknown outcomes, reconciliation).
 */
class FakeMarket extends MarketBase<FakeEvent> {
  readonly name = 'fake';
  readonly capabilities: ConnectorCapabilities = {
    orderTypes: ['limit', 'limit_maker', 'market'],
    orderBook: 'l2',
    sequencedBook: false,
    userStream: true,
    cancelAll: 'emulated',
    lookupByClientOrderId: true,
    reportsFillFees: true,
  };
  readonly userEvents = new Subject<UserStreamEvent<FakeEvent>>();
  ruleList: TradingRule[] = [
    makeTradingRule({
      tradingPair: PAIR,
      minOrderSize: new BigNumber('0.001'),
      minBaseAmountIncrement: new BigNumber('0.001'),
      minPriceIncrement: new BigNumber('0.01'),
      minNotional: new BigNumber('5'),
    }),
  ];
  balanceList: BalanceUpdate[] = [
    { asset: 'USDT', total: new BigNumber(1000), available: new BigNumber(1000), timestamp: 0 },
    { asset: 'BTC', total: new BigNumber(1), available: new BigNumber(1), timestamp: 0 },
  ];
  place = jest.fn<Promise<PlaceOrderResult>, [InFlightOrder]>();
  cancelHook = jest.fn<Promise<OrderUpdate | undefined>, [InFlightOrder]>(async () => undefined);
  // By default the exchange reports the order as the market last knew it.
  statusHook = jest.fn<Promise<OrderUpdate>, [InFlightOrder]>(async (o) => ({
    ...open(o.clientOrderId, o.exchangeOrderId ?? 'X1'),
    newState: o.state === 'PENDING_CREATE' ? 'OPEN' : o.state,
  }));
  trades = jest.fn<Promise<TradeUpdate[]>, [InFlightOrder]>(async () => []);

  constructor(slowPollIntervalMs = 50) {
    super({
      tradingPairs: [PAIR],
      fastPollIntervalMs: 20,
      slowPollIntervalMs,
      userStreamSilenceMs: 60_000,
      requestTimeoutMs: 200,
      defaultFees: { maker: '0.001', taker: '0.002' },
    });
  }
  fetchOpenOrders = async () => [];
  skippedList: SkippedSymbol[] = [];
  protected fetchTradingRules = async () => ({ rules: this.ruleList, skipped: this.skippedList });
  balanceCalls = 0;
  protected fetchBalances = async () => {
    this.balanceCalls += 1;
    return this.balanceList;
  };
  protected sendOrder = (o: InFlightOrder) => this.place(o);
  protected sendCancel = (o: InFlightOrder) => this.cancelHook(o);
  protected fetchOrderStatus = (o: InFlightOrder) => this.statusHook(o);
  protected fetchOrderTrades = (o: InFlightOrder) => this.trades(o);
  protected createOrderBookTracker() {
    return new OrderBookTracker({
      dataSource: bookSource,
      tradingPairs: [PAIR],
      sequenceRule: noSequenceRule,
    });
  }
  protected createUserStreamTracker() {
    const events: Observable<UserStreamEvent<FakeEvent>> = this.userEvents;
    return new UserStreamTracker<FakeEvent>({ dataSource: { listen: () => events }, silenceTimeoutMs: 0 });
  }
  protected parseUserStreamEvent(event: FakeEvent): UserStreamUpdate[] {
    if ('garbage' in event) throw new HbError('malformed_message', 'fake: garbage frame');
    return event.updates;
  }
}

function open(id: string, exchangeOrderId = 'X1'): OrderUpdate {
  return { clientOrderId: id, exchangeOrderId, tradingPair: PAIR, newState: 'OPEN', timestamp: 1 };
}

function fill(id: string, tradeId: string, amount: string): TradeUpdate {
  return {
    tradeId,
    clientOrderId: id,
    tradingPair: PAIR,
    fillBaseAmount: new BigNumber(amount),
    fillPrice: new BigNumber(100),
    fillQuoteAmount: new BigNumber(amount).times(100),
    fee: { amount: new BigNumber('0.0001'), asset: 'BTC' },
    timestamp: 2,
  };
}

async function until(what: string, predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('MarketBase', () => {
  let market: FakeMarket;
  let events: MarketEvent[];

  beforeEach(async () => {
    market = new FakeMarket();
    events = [];
    market.events$.subscribe((e) => events.push(e));
    await market.start();
    market.userEvents.next({ kind: 'connected', receivedAt: Date.now() });
    await market.waitUntilReady(2000);
  });

  afterEach(async () => {
    await market.stop();
  });

  const types = (id: string) => events.filter((e) => e.clientOrderId === id).map((e) => e.type);

  it('is ready once rules, balances, books and the user stream are in', () => {
    expect(market.status).toEqual({
      tradingRulesInitialized: true,
      accountBalanceInitialized: true,
      orderBooksInitialized: true,
      userStreamInitialized: true,
      accountRequired: true,
      missing: [],
      connectorChecks: {},
    });
    expect(market.getOrderBook(PAIR).bestBid).toBe(99);
  });

  it('refuses an order under the minimum size before sending, with a typed error', async () => {
    const id = market.buy(PAIR, '0.0001', 'limit', '100');
    await until('failure', () => types(id).includes('OrderFailure'));
    const failure = events.find((e) => e.type === 'OrderFailure');
    expect(failure?.type === 'OrderFailure' && failure.error).toBeInstanceOf(OrderRuleError);
    expect(failure?.type === 'OrderFailure' && (failure.error as OrderRuleError).rule).toBe('min_order_size');
    expect(market.place).not.toHaveBeenCalled();
  });

  it('refuses an off-tick price and an unsupported pair the same way', async () => {
    const offTick = market.buy(PAIR, '0.1', 'limit', '100.005');
    const unknown = market.sell('DOGE-USDT', '1', 'limit', '1');
    await until(
      'failures',
      () => types(offTick).includes('OrderFailure') && types(unknown).includes('OrderFailure'),
    );
    const rules = events
      .filter((e) => e.type === 'OrderFailure')
      .map((e) => (e.type === 'OrderFailure' ? (e.error as OrderRuleError).rule : ''));
    expect(rules.sort()).toEqual(['price_tick', 'unknown_pair']);
    expect(market.place).not.toHaveBeenCalled();
  });

  it('creates, fills and completes an order from placement and stream updates', async () => {
    market.place.mockImplementation(async () => ({ exchangeOrderId: 'X1' }));
    const id = market.buy(PAIR, '0.1', 'limit', '100');
    await until('created', () => types(id).includes('BuyOrderCreated'));
    market.userEvents.next({
      kind: 'event',
      receivedAt: Date.now(),
      event: {
        updates: [
          { kind: 'trade', update: fill(id, 't1', '0.1') },
          { kind: 'order', update: { ...open(id), newState: 'FILLED' } },
        ],
      },
    });
    await until('completed', () => types(id).includes('BuyOrderCompleted'));
    expect(types(id)).toEqual(['BuyOrderCreated', 'OrderFilled', 'BuyOrderCompleted']);
  });

  it("fails an order on the exchange's definitive rejection", async () => {
    market.place.mockRejectedValue(
      new HbError('insufficient_funds', 'fake: insufficient funds', { httpStatus: 400 }),
    );
    const id = market.buy(PAIR, '0.1', 'limit', '100');
    await until('failure', () => types(id).includes('OrderFailure'));
    expect(market.activeOrders).toHaveLength(0);
  });

  it('treats a placement timeout as an unknown outcome and finds the order by client id', async () => {
    market.place.mockImplementation(() => new Promise(() => undefined)); // never answers
    market.statusHook.mockImplementation(async (o) => open(o.clientOrderId, 'X9'));
    const id = market.buy(PAIR, '0.1', 'limit', '100');
    await until('created by lookup', () => types(id).includes('BuyOrderCreated'));
    expect(types(id)).not.toContain('OrderFailure');
    expect(market.inFlightOrders.get(id)?.exchangeOrderId).toBe('X9');
  });

  it('fails an order of unknown outcome only after repeated "not found", never after network errors', async () => {
    market.place.mockRejectedValue(new HbError('unavailable', 'fake: 503', { httpStatus: 503 }));
    let calls = 0;
    market.statusHook.mockImplementation(async () => {
      calls++;
      if (calls <= 3) throw new HbError('network', 'fake: connection reset');
      throw new HbError('order_not_found', 'fake: order does not exist');
    });
    const id = market.buy(PAIR, '0.1', 'limit', '100');
    await until('failure', () => types(id).includes('OrderFailure'), 5000);
    expect(calls).toBeGreaterThanOrEqual(6); // 3 network errors did not count; 3 not-founds did
    const failure = events.find((e) => e.type === 'OrderFailure');
    expect(failure?.type === 'OrderFailure' && failure.error.reason).toBe('order_not_found');
  });

  it('does not count "not found" while a placement may still be accepted (the exchange\'s window)', async () => {
    class WindowedMarket extends FakeMarket {
      protected override placementAcceptanceWindowMs(): number {
        return 300;
      }
    }
    await market.stop();
    market = new WindowedMarket();
    events = [];
    market.events$.subscribe((e) => events.push(e));
    await market.start();
    market.userEvents.next({ kind: 'connected', receivedAt: Date.now() });
    await market.waitUntilReady(2000);
    market.place.mockRejectedValue(new HbError('timeout', 'fake: timed out'));
    const lookups: number[] = [];
    market.statusHook.mockImplementation(async () => {
      lookups.push(Date.now());
      throw new HbError('order_not_found', 'fake: order does not exist');
    });
    const id = market.buy(PAIR, '0.1', 'limit', '100');
    const created = market.inFlightOrders.get(id)!.creationTimestamp;
    await until('failure', () => types(id).includes('OrderFailure'), 5000);
    // Three not-found answers counted, all of them after the window closed.
    const counted = lookups.filter((t) => t - created >= 300);
    expect(counted.length).toBeGreaterThanOrEqual(3);
    const failure = events.find((e) => e.type === 'OrderFailure');
    expect(failure?.type === 'OrderFailure' && failure.error.reason).toBe('order_not_found');
    expect(failure!.timestamp - created).toBeGreaterThanOrEqual(300);
  });

  it('fetches the fills of a finished order even when the exchange no longer lists the order', async () => {
    market.place.mockImplementation(async () => ({ exchangeOrderId: 'X1' }));
    const id = market.buy(PAIR, '0.1', 'limit', '100');
    await until('created', () => types(id).includes('BuyOrderCreated'));
    // The stream says FILLED but its fill was lost; the order is gone from lookups.
    market.statusHook.mockRejectedValue(new HbError('order_not_found', 'fake: order does not exist'));
    market.trades.mockImplementation(async () => [fill(id, 't1', '0.1')]);
    market.userEvents.next({
      kind: 'event',
      receivedAt: Date.now(),
      event: {
        updates: [
          {
            kind: 'order',
            update: { ...open(id), newState: 'FILLED', cumulativeFilledAmount: new BigNumber('0.1') },
          },
        ],
      },
    });
    await until('completed', () => types(id).includes('BuyOrderCompleted'));
    expect(types(id)).toEqual(['BuyOrderCreated', 'OrderFilled', 'BuyOrderCompleted']);
  });

  it('ends an acknowledged order the exchange no longer lists as CANCELED (a fill-less cancel by someone else, its stream message lost), not open for ever', async () => {
    market.place.mockImplementation(async () => ({ exchangeOrderId: 'X1' }));
    const id = market.buy(PAIR, '0.1', 'limit', '100');
    await until('created', () => types(id).includes('BuyOrderCreated'));
    expect(market.inFlightOrders.get(id)?.state).toBe('OPEN');
    // Self-trade prevention (or another session) cancelled it without a fill;
    // the exchange purged it (Coinbase: 404) and the stream's `done` never came.
    let lookups = 0;
    market.statusHook.mockImplementation(async () => {
      lookups++;
      throw new HbError('order_not_found', 'fake: NotFound');
    });
    await until('cancelled', () => types(id).includes('OrderCancelled'), 5000);
    expect(lookups).toBeGreaterThanOrEqual(3);
    expect(types(id)).toEqual(['BuyOrderCreated', 'OrderCancelled']);
    expect(market.inFlightOrders.get(id)?.state).toBe('CANCELED');
    expect(market.activeOrders.map((o) => o.clientOrderId)).not.toContain(id);
  });

  it('does not end an acknowledged order on one or two "not found" answers (a lookup may lag)', async () => {
    market.place.mockImplementation(async () => ({ exchangeOrderId: 'X1' }));
    const id = market.buy(PAIR, '0.1', 'limit', '100');
    await until('created', () => types(id).includes('BuyOrderCreated'));
    let lookups = 0;
    market.statusHook.mockImplementation(async (o) => {
      lookups++;
      // Not found twice, then found again, and so on: never three in a row.
      if (lookups % 3 !== 0) throw new HbError('order_not_found', 'fake: NotFound');
      return open(o.clientOrderId, 'X1');
    });
    await until('nine lookups', () => lookups >= 9, 5000);
    expect(types(id)).toEqual(['BuyOrderCreated']);
    expect(market.inFlightOrders.get(id)?.state).toBe('OPEN');
  });

  it('reconciles after the user stream reconnects, so a fill sent while it was down arrives once', async () => {
    market.place.mockImplementation(async () => ({ exchangeOrderId: 'X1' }));
    const id = market.buy(PAIR, '0.2', 'limit', '100');
    await until('created', () => types(id).includes('BuyOrderCreated'));
    market.statusHook.mockImplementation(async () => ({
      ...open(id),
      newState: 'PARTIALLY_FILLED',
      cumulativeFilledAmount: new BigNumber('0.1'),
    }));
    market.trades.mockImplementation(async () => [fill(id, 't1', '0.1')]);
    market.userEvents.next({ kind: 'reconnected', receivedAt: Date.now(), reason: 'test' });
    await until('fill', () => types(id).includes('OrderFilled'));
    // The same fill again from the stream, and from later polls: still once.
    market.userEvents.next({
      kind: 'event',
      receivedAt: Date.now(),
      event: { updates: [{ kind: 'trade', update: fill(id, 't1', '0.1') }] },
    });
    await market.pollNow();
    expect(types(id).filter((t) => t === 'OrderFilled')).toHaveLength(1);
  });

  it('refuses a frame with a negative or absurd fill whole: no OrderFilled, no completion, a notice, and a REST reconcile', async () => {
    const notices: MarketNotice[] = [];
    market.notices$.subscribe((n) => notices.push(n));
    market.place.mockImplementation(async () => ({ exchangeOrderId: 'X1' }));
    const id = market.buy(PAIR, '0.2', 'limit', '100');
    await until('created', () => types(id).includes('BuyOrderCreated'));
    const statusCalls = market.statusHook.mock.calls.length;
    const filledFrame = (amount: string, price = '100'): FakeEvent => ({
      updates: [
        { kind: 'trade', update: { ...fill(id, `t${amount}`, amount), fillPrice: new BigNumber(price) } },
        {
          kind: 'order',
          update: { ...open(id), newState: 'FILLED', cumulativeFilledAmount: new BigNumber(amount).abs() },
        },
      ],
    });
    for (const frame of [
      filledFrame('-0.005'),
      filledFrame('1e401'),
      filledFrame('0.2', '-100'),
      filledFrame('0.3'),
      filledFrame('0'),
    ]) {
      market.userEvents.next({ kind: 'event', receivedAt: Date.now(), event: frame });
    }
    expect(types(id)).toEqual(['BuyOrderCreated']);
    const order = market.inFlightOrders.get(id)!;
    expect(order.state).toBe('OPEN');
    expect(order.executedBaseAmount.toFixed()).toBe('0');
    expect(notices.filter((n) => n.kind === 'update_refused')).toHaveLength(5);
    expect(market.refusals.framesRefused).toBe(5);
    // The order's truth is unknown now: the exchange is asked.
    await until('a reconcile', () => market.statusHook.mock.calls.length > statusCalls);
    // A later good fill still counts.
    market.userEvents.next({ kind: 'event', receivedAt: Date.now(), event: filledFrame('0.2') });
    await until('fill', () => types(id).includes('BuyOrderCompleted'));
    expect(types(id)).toEqual(['BuyOrderCreated', 'OrderFilled', 'BuyOrderCompleted']);
  });

  it('refuses an impossible fill that arrives by REST, counting it and leaving the order open', async () => {
    market.place.mockImplementation(async () => ({ exchangeOrderId: 'X1' }));
    const id = market.buy(PAIR, '0.2', 'limit', '100');
    await until('created', () => types(id).includes('BuyOrderCreated'));
    market.trades.mockImplementation(async () => [fill(id, 'big', '5')]);
    market.statusHook.mockImplementation(async () => ({ ...open(id), newState: 'PARTIALLY_FILLED' }));
    await market.pollNow();
    await until('refusal', () => market.refusals.updatesRefused > 0);
    expect(types(id)).toEqual(['BuyOrderCreated']);
    expect(market.inFlightOrders.get(id)!.executedBaseAmount.toFixed()).toBe('0');
  });

  it('reports an unparsable user-stream frame as a protocol error and reconciles', async () => {
    const notices: MarketNotice[] = [];
    market.notices$.subscribe((n) => notices.push(n));
    const calls = market.balanceCalls;
    market.userEvents.next({ kind: 'event', receivedAt: Date.now(), event: { garbage: true } });
    const n = notices.find((x) => x.kind === 'unparsable_user_event');
    expect(n?.kind === 'unparsable_user_event' && n.error).toBeInstanceOf(ProtocolError);
    expect(n?.kind === 'unparsable_user_event' && (n.error as ProtocolError).channel).toBe('user stream');
    await until('a reconcile', () => market.balanceCalls > calls);
  });

  it('reports each exchange symbol whose rules it could not read, once', async () => {
    const other = new FakeMarket();
    other.skippedList = [
      { symbol: 'ETHBTC', error: new HbError('malformed_message', 'fake: ETHBTC lotSize') },
    ];
    const notices: MarketNotice[] = [];
    other.notices$.subscribe((n) => notices.push(n));
    await other.start();
    await other.pollNow();
    await other.stop();
    expect(notices.filter((n) => n.kind === 'symbol_skipped')).toEqual([
      {
        kind: 'symbol_skipped',
        symbol: 'ETHBTC',
        error: expect.objectContaining({ reason: 'malformed_message' }),
      },
    ]);
    expect(other.skippedSymbols.map((s) => s.symbol)).toEqual(['ETHBTC']);
  });

  it('makes client order ids with the connector policy when it has one', () => {
    class Prefixed extends FakeMarket {
      protected override readonly clientOrderIds = prefixedClientOrderIds({
        exchange: 'fake',
        prefix: 'fk',
        pattern: /^[a-z0-9]{1,32}$/i,
        describe: 'letters and digits',
      });
    }
    const m = new Prefixed();
    expect(m.buy(PAIR, '0.0001', 'limit', '100')).toMatch(/^fkB[0-9a-z]{8}[0-9a-f]{21}$/);
  });

  it('an order ended by a stream update without an executed amount after a stream gap gets its lost fills first', async () => {
    market.place.mockImplementation(async () => ({ exchangeOrderId: 'X1' }));
    const id = market.buy(PAIR, '0.2', 'limit', '100');
    await until('created', () => types(id).includes('BuyOrderCreated'));
    // A fill happens while the stream is down; the stream comes back and says "canceled"
    // (Coinbase's done message has no filled size) before any poll ran.
    market.userEvents.next({ kind: 'disconnected', receivedAt: Date.now(), reason: 'test' });
    market.trades.mockImplementation(async () => [fill(id, 'lost', '0.05')]);
    market.userEvents.next({
      kind: 'event',
      receivedAt: Date.now(),
      event: { updates: [{ kind: 'order', update: { ...open(id), newState: 'CANCELED' } }] },
    });
    await until('cancelled', () => types(id).includes('OrderCancelled'));
    expect(types(id)).toEqual(['BuyOrderCreated', 'OrderFilled', 'OrderCancelled']);
    expect(market.inFlightOrders.get(id)!.executedBaseAmount.toFixed()).toBe('0.05');
  });

  it('without a stream gap, a cancel from the stream ends the order at once', async () => {
    market.place.mockImplementation(async () => ({ exchangeOrderId: 'X1' }));
    const id = market.buy(PAIR, '0.2', 'limit', '100');
    await until('created', () => types(id).includes('BuyOrderCreated'));
    const calls = market.trades.mock.calls.length;
    market.userEvents.next({
      kind: 'event',
      receivedAt: Date.now(),
      event: { updates: [{ kind: 'order', update: { ...open(id), newState: 'CANCELED' } }] },
    });
    expect(types(id)).toEqual(['BuyOrderCreated', 'OrderCancelled']);
    expect(market.trades.mock.calls.length).toBe(calls);
  });

  it('keeps state intact on a malformed user-stream event and says so', async () => {
    const notices: string[] = [];
    market.notices$.subscribe((n) => notices.push(n.kind));
    market.userEvents.next({ kind: 'event', receivedAt: Date.now(), event: { garbage: true } });
    expect(notices).toContain('unparsable_user_event');
    expect(market.ready).toBe(true);
  });

  it('reduces the available balance by orders placed since the last balance snapshot', async () => {
    market.place.mockImplementation(async () => ({ exchangeOrderId: 'X1' }));
    const before = market.getAvailableBalance('USDT');
    market.buy(PAIR, '0.5', 'limit', '100');
    market.sell(PAIR, '0.25', 'limit', '110');
    expect(before.toFixed()).toBe('1000');
    expect(market.getAvailableBalance('USDT').toFixed()).toBe('950');
    expect(market.getAvailableBalance('BTC').toFixed()).toBe('0.75');
    expect(market.getBalance('USDT').toFixed()).toBe('1000');
  });

  it('estimates maker and taker fees from the order type and the book', () => {
    expect(market.getFee(PAIR, 'limit_maker', 'buy').isMaker).toBe(true);
    expect(market.getFee(PAIR, 'market', 'buy').percent.toFixed()).toBe('0.002');
    expect(market.getFee(PAIR, 'limit', 'buy', 100).isMaker).toBe(true); // rests below the 101 ask
    expect(market.getFee(PAIR, 'limit', 'buy', 102).isMaker).toBe(false);
    expect(market.getFee(PAIR, 'limit', 'buy', 98).isMaker).toBe(true);
  });

  it('cancels, and cancelAll waits for every order to end', async () => {
    market.place.mockImplementation(async () => ({ exchangeOrderId: `X${Math.random()}` }));
    market.cancelHook.mockImplementation(async (o) => ({
      ...open(o.clientOrderId, o.exchangeOrderId),
      newState: 'CANCELED',
    }));
    const a = market.buy(PAIR, '0.1', 'limit', '100');
    const b = market.sell(PAIR, '0.1', 'limit', '110');
    await until(
      'created',
      () => types(a).includes('BuyOrderCreated') && types(b).includes('SellOrderCreated'),
    );
    const results = await market.cancelAll(2000);
    expect(results.map((r) => r.success)).toEqual([true, true]);
    expect(types(a)).toEqual(['BuyOrderCreated', 'OrderCancelled']);
  });

  it('saves tracking states and restores them into a new market', async () => {
    market.place.mockImplementation(async () => ({ exchangeOrderId: 'X1' }));
    const id = market.buy(PAIR, '0.2', 'limit', '100');
    await until('created', () => types(id).includes('BuyOrderCreated'));
    market.userEvents.next({
      kind: 'event',
      receivedAt: Date.now(),
      event: { updates: [{ kind: 'trade', update: fill(id, 't1', '0.1') }] },
    });
    const saved = JSON.parse(JSON.stringify(market.trackingStates));
    await market.stop();

    const next = new FakeMarket();
    const nextEvents: MarketEvent[] = [];
    next.events$.subscribe((e) => nextEvents.push(e));
    next.restoreTrackingStates(saved);
    next.statusHook.mockImplementation(async () => ({
      ...open(id),
      newState: 'FILLED',
      cumulativeFilledAmount: new BigNumber('0.2'),
    }));
    next.trades.mockImplementation(async () => [fill(id, 't1', '0.1'), fill(id, 't2', '0.1')]);
    await next.start();
    await until('completed', () => nextEvents.some((e) => e.type === 'BuyOrderCompleted'));
    expect(nextEvents.map((e) => (e.type === 'OrderFilled' ? `${e.type}:${e.tradeId}` : e.type))).toEqual([
      'OrderFilled:t2',
      'BuyOrderCompleted',
    ]);
    await next.stop();
  });
});

describe('MarketBase live status and stream errors', () => {
  it('reconciles slowly while the user stream is live and fast while it is down', async () => {
    const market = new FakeMarket(1_000); // fast 20 ms, slow 1 s
    const polls: number[] = [];
    market.place.mockImplementation(async () => ({ exchangeOrderId: 'X1' }));
    await market.start();
    market.userEvents.next({ kind: 'connected', receivedAt: Date.now() });
    await market.waitUntilReady(2000);
    const id = market.buy(PAIR, '0.2', 'limit', '100');
    await until('created', () => market.inFlightOrders.get(id)?.state === 'OPEN');
    await market.pollNow();
    market.statusHook.mockImplementation(async (o) => {
      polls.push(Date.now());
      return { ...open(o.clientOrderId) };
    });
    // Live stream: the next full pass is a slow interval away (timers never fire early).
    market.userEvents.next({ kind: 'event', receivedAt: Date.now(), event: { updates: [] } });
    await new Promise((r) => setTimeout(r, 400));
    expect(polls).toHaveLength(0);
    // Stream lost: full passes at the fast pace at once.
    market.userEvents.next({ kind: 'disconnected', receivedAt: Date.now(), reason: 'socket closed' });
    expect(market.status.userStreamInitialized).toBe(false);
    expect(market.liveStatus.userStream).toMatchObject({ status: 'stale', reason: 'socket closed' });
    await until('fast polls', () => polls.length >= 4, 900);
    await market.stop();
  });

  it('a fatal user-stream error reaches the user as a typed event and the status, and fails readiness', async () => {
    const market = new FakeMarket();
    const errors: unknown[] = [];
    const changes: string[] = [];
    market.streamErrors$.subscribe((e) => errors.push(e));
    market.liveStatus$.subscribe((c) => changes.push(`${c.source}:${c.state.status}`));
    await market.start();
    const error = new HbError('authentication', 'Invalid API Key', { retryable: false });
    market.userEvents.error(error);
    await expect(market.waitUntilReady(5_000)).rejects.toBe(error);
    expect(errors).toEqual([{ source: 'user_stream', error, fatal: true }]);
    expect(market.fatalStreamError).toBe(error);
    expect(market.liveStatus.userStream).toMatchObject({ status: 'stale', error });
    expect(market.liveStatus.orderBooks[PAIR]?.status).toBe('live');
    expect(changes).toContain('order_book:live');
    expect(changes.at(-1)).toBe('user_stream:stale');
    await market.stop();
  });
});

describe('MarketBase.tradesByExchangeOrderId', () => {
  /** The fake market with the helper callable from the test. */
  class TradesMarket extends FakeMarket {
    byExchangeId(
      order: InFlightOrder,
      fetch: (id: string) => Promise<TradeUpdate[]>,
    ): Promise<TradeUpdate[]> {
      return this.tradesByExchangeOrderId(order, fetch);
    }
  }
  const order = (exchangeOrderId?: string): InFlightOrder =>
    new InFlightOrder({
      clientOrderId: 'c1',
      exchangeOrderId,
      tradingPair: PAIR,
      side: 'buy',
      orderType: 'limit',
      price: new BigNumber(100),
      amount: new BigNumber(1),
      creationTimestamp: 1,
    });
  const row = (tradeId: string): TradeUpdate => ({ ...fill('c1', tradeId, '0.1'), clientOrderId: undefined });

  it("lists the fills by the order's exchange id, each with our client order id", async () => {
    const market = new TradesMarket();
    const fetch = jest.fn(async (_id: string) => [row('t1'), row('t2')]);
    const trades = await market.byExchangeId(order('E7'), fetch);
    expect(fetch).toHaveBeenCalledWith('E7');
    expect(market.statusHook).not.toHaveBeenCalled();
    expect(trades.map((t) => [t.tradeId, t.clientOrderId])).toEqual([
      ['t1', 'c1'],
      ['t2', 'c1'],
    ]);
  });

  it('looks the exchange id up by client order id when the order has none, and lists nothing before the exchange has one', async () => {
    const market = new TradesMarket();
    const fetch = jest.fn(async (_id: string) => [row('t1')]);
    expect((await market.byExchangeId(order(), fetch)).map((t) => t.clientOrderId)).toEqual(['c1']);
    expect(fetch).toHaveBeenCalledWith('X1');
    market.statusHook.mockResolvedValueOnce({ ...open('c1'), exchangeOrderId: undefined });
    fetch.mockClear();
    expect(await market.byExchangeId(order(), fetch)).toEqual([]);
    expect(fetch).not.toHaveBeenCalled();
  });
});
