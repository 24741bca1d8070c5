import BigNumber from 'bignumber.js';
import { Subject, type Observable } from 'rxjs';
import {
  AuthenticationError,
  HbError,
  InFlightOrder,
  InsufficientFundsError,
  InvalidOrderError,
  MarketBase,
  NotSupportedError,
  OrderBookTracker,
  OrderRuleError,
  TimeoutError,
  UserStreamTracker,
  makeTradingRule,
  noSequenceRule,
  type BalanceUpdate,
  type ConnectorCapabilities,
  type DiffMessage,
  type MarketEvent,
  type OrderBookTrackerDataSource,
  type OrderUpdate,
  type PlaceOrderResult,
  type SnapshotMessage,
  type TradeMessage,
  type TradeUpdate,
  type UserStreamEvent,
  type UserStreamUpdate,
} from '../../src/kit/index.js';

const PAIR = 'BTC-USDT';
const OTHER = 'ETH-USDT';

/** Book streams the test drives by hand. */
const diffs = new Subject<DiffMessage>();
const trades = new Subject<TradeMessage>();

const bookSource: OrderBookTrackerDataSource = {
  fetchTradingPairs: async () => [PAIR, OTHER],
  getSnapshot: async (pair: string): Promise<SnapshotMessage> => ({
    type: 'snapshot',
    tradingPair: pair,
    updateId: 1,
    timestamp: 0,
    bids: [
      [99, 1],
      [98, 2],
    ],
    asks: [
      [101, 1],
      [102, 2],
    ],
  }),
  listenForDiffs: () => diffs,
  listenForTrades: () => trades,
};

class FakeMarket extends MarketBase<{ updates: UserStreamUpdate[] }> {
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
  readonly userEvents = new Subject<UserStreamEvent<{ updates: UserStreamUpdate[] }>>();
  place = jest.fn<Promise<PlaceOrderResult>, [InFlightOrder]>(async (o) => ({
    exchangeOrderId: `X-${o.clientOrderId}`,
  }));
  cancelHook = jest.fn<Promise<OrderUpdate | undefined>, [InFlightOrder]>(async (o) => ({
    clientOrderId: o.clientOrderId,
    tradingPair: o.tradingPair,
    newState: 'CANCELED',
    timestamp: 3,
  }));
  statusHook = jest.fn<Promise<OrderUpdate>, [InFlightOrder]>(async (o) => ({
    clientOrderId: o.clientOrderId,
    exchangeOrderId: o.exchangeOrderId ?? 'X-late',
    tradingPair: o.tradingPair,
    newState: o.state === 'PENDING_CREATE' ? 'OPEN' : o.state,
    timestamp: 2,
  }));

  constructor() {
    super({
      tradingPairs: [PAIR],
      fastPollIntervalMs: 20,
      slowPollIntervalMs: 50,
      userStreamSilenceMs: 60_000,
      requestTimeoutMs: 200,
    });
  }
  fetchOpenOrders = async () => [];
  protected fetchTradingRules = async () => [
    makeTradingRule({
      tradingPair: PAIR,
      minOrderSize: new BigNumber('0.001'),
      minBaseAmountIncrement: new BigNumber('0.001'),
      minPriceIncrement: new BigNumber('0.01'),
      minNotional: new BigNumber('5'),
    }),
  ];
  protected fetchBalances = async (): Promise<BalanceUpdate[]> => [
    { asset: 'USDT', total: new BigNumber(1000), available: new BigNumber(1000), timestamp: 0 },
  ];
  protected sendOrder = (o: InFlightOrder) => this.place(o);
  protected sendCancel = (o: InFlightOrder) => this.cancelHook(o);
  protected fetchOrderStatus = (o: InFlightOrder) => this.statusHook(o);
  protected fetchOrderTrades = async (): Promise<TradeUpdate[]> => [];
  protected createOrderBookTracker() {
    return new OrderBookTracker({
      dataSource: bookSource,
      tradingPairs: [PAIR],
      sequenceRule: noSequenceRule,
    });
  }
  protected createUserStreamTracker() {
    const events: Observable<UserStreamEvent<{ updates: UserStreamUpdate[] }>> = this.userEvents;
    return new UserStreamTracker({ dataSource: { listen: () => events }, silenceTimeoutMs: 0 });
  }
  protected parseUserStreamEvent(event: { updates: UserStreamUpdate[] }): UserStreamUpdate[] {
    return event.updates;
  }
  /** The tracker, for teardown checks. */
  get tracker(): OrderBookTracker {
    return this['orderBookTracker']!;
  }
}

function diff(
  updateId: number,
  bids: [number, number][],
  asks: [number, number][] = [],
  pair = PAIR,
): DiffMessage {
  return { type: 'diff', tradingPair: pair, updateId, timestamp: updateId, bids, asks };
}

describe('MarketBase: the bot author API', () => {
  let market: FakeMarket;

  beforeEach(async () => {
    market = new FakeMarket();
    await market.start();
    market.userEvents.next({ kind: 'connected', receivedAt: Date.now() });
    await market.waitUntilReady(2000);
  });

  afterEach(async () => {
    await market.stop();
  });

  describe('error classes', () => {
    it('new HbError(reason) is an instance of the reason class and of HbError', () => {
      const e = new HbError('insufficient_funds', 'no money');
      expect(e).toBeInstanceOf(InsufficientFundsError);
      expect(e).toBeInstanceOf(HbError);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe('InsufficientFundsError');
      expect(new AuthenticationError('bad key').reason).toBe('authentication');
      expect(new OrderRuleError('min_order_size', 'too small')).toBeInstanceOf(InvalidOrderError);
    });
  });

  describe('placeOrder', () => {
    it('resolves with the snapshot once the exchange accepted the order', async () => {
      const s = await market.placeOrder({
        tradingPair: PAIR,
        side: 'buy',
        type: 'limit',
        amount: '0.1',
        price: '100',
      });
      expect(s.state).toBe('OPEN');
      expect(s.exchangeOrderId).toBe(`X-${s.clientOrderId}`);
      expect(s.amount.toString()).toBe('0.1');
      expect(s.price?.toString()).toBe('100');
      expect(s.type).toBe('limit');
    });

    it('rejects with an InvalidOrderError (OrderRuleError) below the minimum, sending nothing', async () => {
      const p = market.placeOrder({ tradingPair: PAIR, side: 'buy', amount: '0.0001', price: '100' });
      await expect(p).rejects.toBeInstanceOf(InvalidOrderError);
      await expect(p).rejects.toMatchObject({ rule: 'min_order_size' });
      expect(market.place).not.toHaveBeenCalled();
    });

    it("rejects with the exchange's definitive refusal as its class", async () => {
      market.place.mockRejectedValueOnce(new HbError('insufficient_funds', 'fake: not enough USDT'));
      await expect(
        market.placeOrder({ tradingPair: PAIR, side: 'buy', amount: '1', price: '100' }),
      ).rejects.toBeInstanceOf(InsufficientFundsError);
    });

    it('keeps an unknown outcome pending and resolves when reconciliation finds the order', async () => {
      market.place.mockRejectedValueOnce(new HbError('timeout', 'fake: no answer'));
      const s = await market.placeOrder({ tradingPair: PAIR, side: 'sell', amount: '0.5', price: '120' });
      expect(s.state).toBe('OPEN');
      expect(market.statusHook).toHaveBeenCalled();
    });

    it('rejects when reconciliation says the order never reached the exchange', async () => {
      market.place.mockRejectedValueOnce(new HbError('network', 'fake: reset'));
      market.statusHook.mockRejectedValue(new HbError('order_not_found', 'fake: unknown order'));
      await expect(
        market.placeOrder({ tradingPair: PAIR, side: 'sell', amount: '0.5', price: '120' }),
      ).rejects.toBeInstanceOf(HbError);
    });

    it('round: floors the amount to the step and rounds the price to the tick, never more aggressive', async () => {
      const buy = await market.placeOrder({
        tradingPair: PAIR,
        side: 'buy',
        amount: '0.12345',
        price: '100.009',
        round: true,
      });
      expect(buy.amount.toString()).toBe('0.123');
      expect(buy.price?.toString()).toBe('100');
      expect(buy.requested.amount.toString()).toBe('0.12345');
      expect(buy.requested.price?.toString()).toBe('100.009');
      const sent = market.place.mock.calls[0]![0];
      expect(sent.amount.toString()).toBe('0.123');
      expect(sent.price.toString()).toBe('100');
      const sell = await market.placeOrder({
        tradingPair: PAIR,
        side: 'sell',
        amount: '0.1',
        price: '100.001',
        round: true,
      });
      expect(sell.price?.toString()).toBe('100.01');
    });

    it('without round, an off-step amount is refused', async () => {
      await expect(
        market.placeOrder({ tradingPair: PAIR, side: 'buy', amount: '0.12345', price: '100' }),
      ).rejects.toMatchObject({ rule: 'size_increment' });
    });
  });

  describe('cancelOrder', () => {
    it('resolves with the CANCELED snapshot once confirmed', async () => {
      const placed = await market.placeOrder({ tradingPair: PAIR, side: 'buy', amount: '0.1', price: '100' });
      const s = await market.cancelOrder(PAIR, placed.clientOrderId);
      expect(s.state).toBe('CANCELED');
    });

    it('rejects with a TimeoutError when the exchange never confirms', async () => {
      market.cancelHook.mockResolvedValueOnce(undefined);
      market.statusHook.mockImplementation(async (o) => ({
        clientOrderId: o.clientOrderId,
        tradingPair: o.tradingPair,
        newState: 'OPEN',
        timestamp: 2,
      }));
      const placed = await market.placeOrder({ tradingPair: PAIR, side: 'buy', amount: '0.1', price: '100' });
      await expect(market.cancelOrder(PAIR, placed.clientOrderId, { timeoutMs: 100 })).rejects.toBeInstanceOf(
        TimeoutError,
      );
    });

    it('rejects with an OrderNotFoundError for an untracked order', async () => {
      await expect(market.cancelOrder(PAIR, 'nope')).rejects.toMatchObject({ reason: 'order_not_found' });
    });
  });

  describe('watchOrderBook', () => {
    it('yields the live book at once, then coalesces changes while the consumer is busy', async () => {
      const it = market.watchOrderBook(PAIR, { depth: 1 });
      const first = (await it.next()).value!;
      expect(first).toMatchObject({ tradingPair: PAIR, bids: [[99, 1]], asks: [[101, 1]], live: true });
      expect(Object.isFrozen(first.bids)).toBe(true);
      // Five diffs while the consumer is busy: one view, the latest.
      for (let i = 2; i <= 6; i++) diffs.next(diff(i, [[99, i]]));
      const second = (await it.next()).value!;
      expect(second.updateId).toBe(6);
      expect(second.bids).toEqual([[99, 6]]);
      // Nothing changed since: the next pull waits for the next change.
      const pending = it.next();
      let settled = false;
      void pending.then(() => (settled = true));
      await new Promise((r) => setImmediate(r));
      expect(settled).toBe(false);
      diffs.next(diff(7, [[99.5, 1]]));
      expect((await pending).value!.bids).toEqual([[99.5, 1]]);
      await it.return!();
    });

    it('breaking out unsubscribes', async () => {
      const updates = market.tracker['updateSubject'] as Subject<string>;
      for await (const view of market.watchOrderBook(PAIR)) {
        expect(view.live).toBe(true);
        expect(updates.observed).toBe(true);
        break;
      }
      expect(updates.observed).toBe(false);
    });

    it('tracks a pair the market does not trade for as long as it is watched', async () => {
      expect(market.tracker.tradingPairs).toEqual([PAIR]);
      const it = market.watchOrderBook(OTHER);
      expect(market.tracker.tradingPairs).toEqual([PAIR, OTHER]);
      let view = (await it.next()).value!;
      while (!view.live) view = (await it.next()).value!;
      expect(view.bids[0]).toEqual([99, 1]);
      await it.return!();
      expect(market.tracker.tradingPairs).toEqual([PAIR]);
    });
  });

  describe('stop', () => {
    it('a market started again after stop still applies user-stream updates', async () => {
      const placed = await market.placeOrder({ tradingPair: PAIR, side: 'buy', amount: '0.1', price: '100' });
      await market.stop();
      await market.start();
      market.userEvents.next({ kind: 'connected', receivedAt: Date.now() });
      market.userEvents.next({
        kind: 'event',
        receivedAt: Date.now(),
        event: {
          updates: [
            {
              kind: 'order',
              update: {
                clientOrderId: placed.clientOrderId,
                tradingPair: PAIR,
                newState: 'CANCELED',
                timestamp: 9,
              },
            },
          ],
        },
      });
      // Applied at once, or after the fills check that follows a restart: either way it ends.
      const deadline = Date.now() + 3_000;
      while (market.getOrderSnapshot(placed.clientOrderId).state !== 'CANCELED' && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(market.getOrderSnapshot(placed.clientOrderId).state).toBe('CANCELED');
    });

    it('ends every watch iteration: pending pulls resolve done', async () => {
      const book = market.watchOrderBook(PAIR);
      await book.next();
      const pendingBook = book.next();
      const orders = market.watchOrders();
      const pendingOrder = orders.next();
      const trades = market.watchTrades(PAIR);
      const pendingTrade = trades.next();
      await market.stop();
      expect(await pendingBook).toEqual({ done: true, value: undefined });
      expect(await pendingOrder).toEqual({ done: true, value: undefined });
      expect(await pendingTrade).toEqual({ done: true, value: undefined });
    });
  });

  describe('watchTrades and watchOrders', () => {
    it('watchTrades yields every trade in order, then unsubscribes on break', async () => {
      const it = market.watchTrades(PAIR);
      const first = it.next();
      for (let i = 1; i <= 4; i++) {
        trades.next({
          type: 'trade',
          tradingPair: PAIR,
          tradeId: String(i),
          price: 100,
          amount: i,
          side: 'buy',
          timestamp: i,
        });
      }
      const seen = [(await first).value!.tradeId];
      for await (const t of it) {
        seen.push(t.tradeId);
        if (seen.length === 4) break;
      }
      expect(seen).toEqual(['1', '2', '3', '4']);
      const bookTrades = market.getOrderBook(PAIR)['tradeSubject'] as Subject<TradeMessage>;
      expect(bookTrades.observed).toBe(false);
    });

    it('watchOrders yields the market events of an order', async () => {
      const it = market.watchOrders();
      const got: MarketEvent['type'][] = [];
      const reading = (async () => {
        for await (const e of it) {
          got.push(e.type);
          if (e.type === 'OrderCancelled') break;
        }
      })();
      const placed = await market.placeOrder({
        tradingPair: PAIR,
        side: 'sell',
        amount: '0.1',
        price: '130',
      });
      await market.cancelOrder(PAIR, placed.clientOrderId);
      await reading;
      expect(got).toEqual(['SellOrderCreated', 'OrderCancelled']);
    });
  });

  describe('REST market data', () => {
    it('rejects with a typed error where the connector serves none', async () => {
      expect(market.marketData).toEqual([]);
      await expect(market.getTicker(PAIR)).rejects.toBeInstanceOf(NotSupportedError);
    });
  });
});
