// The contracts on-chain venues need from MarketBase (issue 15): orders prepared
// and saved before sending, timeouts per operation, several fees per fill,
// balances by source with a venue rule, readiness the connector extends,
// per-order expiry, and in-flight orders users can read but not change.
import BigNumber from 'bignumber.js';
import { NEVER } from 'rxjs';
import {
  HbError,
  InFlightOrder,
  MarketBase,
  OrderBookTracker,
  OrderRuleError,
  makeTradingRule,
  noSequenceRule,
  type BalanceRule,
  type BalanceUpdate,
  type ConnectorCapabilities,
  type InFlightOrderJson,
  type MarketEvent,
  type MarketNotice,
  type OperationTimeouts,
  type OrderBookTrackerDataSource,
  type OrderUpdate,
  type PlaceOrderResult,
  type PreparedOrder,
  type ReadonlyInFlightOrder,
  type TradeUpdate,
  type UserStreamUpdate,
} from '../../src/kit/index.js';

const PAIR = 'ZRX-WETH';
const HASH = `0x${'ab'.repeat(32)}`;

const bookSource: OrderBookTrackerDataSource = {
  fetchTradingPairs: async () => [PAIR],
  getSnapshot: async () => ({
    type: 'snapshot',
    tradingPair: PAIR,
    updateId: 1,
    timestamp: 0,
    bids: [[0.001, 100]],
    asks: [[0.0011, 100]],
  }),
  listenForDiffs: () => NEVER,
  listenForTrades: () => NEVER,
};

/** A 0x-relayer-shaped connector: signed orders, wallet + allowance balances, no user stream. */
class FakeDexMarket extends MarketBase<never> {
  readonly name = 'fake-dex';
  readonly capabilities: ConnectorCapabilities = {
    orderTypes: ['limit', 'limit_maker'],
    orderBook: 'l3',
    sequencedBook: false,
    userStream: false,
    cancelAll: 'emulated',
    lookupByClientOrderId: false,
    reportsFillFees: true,
    orderExpiry: true,
  };
  allowancesChecked = false;
  balanceList: BalanceUpdate[] = [
    { asset: 'WETH', source: 'wallet', total: new BigNumber(10), available: new BigNumber(10), timestamp: 0 },
    {
      asset: 'WETH',
      source: 'allowance',
      total: new BigNumber(4),
      available: new BigNumber(4),
      timestamp: 0,
    },
    {
      asset: 'ZRX',
      source: 'wallet',
      total: new BigNumber(1000),
      available: new BigNumber(1000),
      timestamp: 0,
    },
    {
      asset: 'ZRX',
      source: 'allowance',
      total: new BigNumber(1e9),
      available: new BigNumber(1e9),
      timestamp: 0,
    },
  ];
  /** What sendOrder saw of the order when it was called. */
  seenAtPlacement: InFlightOrderJson | undefined;
  prepare = jest.fn<Promise<PreparedOrder>, [ReadonlyInFlightOrder]>(async (o) => ({
    exchangeOrderId: HASH,
    signature: '0x1b02',
    ...(o.expiresAt !== undefined ? { expiresAt: o.expiresAt } : {}),
    payload: { salt: '42' },
  }));
  place = jest.fn<Promise<PlaceOrderResult>, [InFlightOrder]>(async (o) => {
    this.seenAtPlacement = o.toJSON();
    return { exchangeOrderId: HASH };
  });
  statusHook = jest.fn<Promise<OrderUpdate>, [InFlightOrder]>(async (o) => ({
    clientOrderId: o.clientOrderId,
    exchangeOrderId: HASH,
    tradingPair: PAIR,
    newState: 'OPEN',
    timestamp: 1,
  }));

  constructor(
    options: {
      timeouts?: Partial<OperationTimeouts>;
      persist?: (o: InFlightOrderJson) => Promise<void>;
    } = {},
  ) {
    super({
      tradingPairs: [PAIR],
      fastPollIntervalMs: 20,
      slowPollIntervalMs: 50,
      requestTimeoutMs: 5_000,
      ...(options.timeouts ? { timeouts: options.timeouts } : {}),
      ...(options.persist ? { persistOrder: options.persist } : {}),
    });
  }
  fetchOpenOrders = async () => [];
  protected fetchTradingRules = async () => [
    makeTradingRule({
      tradingPair: PAIR,
      minOrderSize: new BigNumber(1),
      minBaseAmountIncrement: new BigNumber(1),
      minPriceIncrement: new BigNumber('0.000001'),
    }),
  ];
  protected fetchBalances = async () => this.balanceList;
  protected override prepareOrder = (o: ReadonlyInFlightOrder) => this.prepare(o);
  protected sendOrder = (o: InFlightOrder) => this.place(o);
  protected sendCancel = async () => undefined;
  protected fetchOrderStatus = (o: InFlightOrder) => this.statusHook(o);
  protected fetchOrderTrades = async (): Promise<TradeUpdate[]> => [];
  protected override defaultTimeouts(): Partial<OperationTimeouts> {
    // A transaction can take minutes; a relayer POST does not.
    return { sendOrder: 120_000, sendCancel: 60 };
  }
  protected override balanceRule(): BalanceRule {
    return { spendable: ['wallet', 'allowance'], openOrdersLock: false };
  }
  protected override readinessChecks(): Record<string, boolean> {
    return { allowances_checked: this.allowancesChecked };
  }
  protected createOrderBookTracker() {
    return new OrderBookTracker({
      dataSource: bookSource,
      tradingPairs: [PAIR],
      sequenceRule: noSequenceRule,
    });
  }
  protected createUserStreamTracker() {
    return undefined;
  }
  protected parseUserStreamEvent(): UserStreamUpdate[] {
    return [];
  }
  /** Test access to the protected parts. */
  apply(updates: UserStreamUpdate[]): void {
    this.applyUpdates(updates);
  }
  timeout(op: keyof OperationTimeouts): number {
    return this.timeoutFor(op);
  }
}

async function until(what: string, predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('MarketBase contracts for on-chain venues', () => {
  let market: FakeDexMarket;
  let events: MarketEvent[];

  async function startMarket(m: FakeDexMarket): Promise<void> {
    market = m;
    events = [];
    market.events$.subscribe((e) => events.push(e));
    await market.start();
    market.allowancesChecked = true;
    await market.waitUntilReady(2000);
  }

  afterEach(async () => {
    await market.stop();
  });

  const types = (id: string) => events.filter((e) => e.clientOrderId === id).map((e) => e.type);

  it('readiness is a set the connector extends: not ready until its own check passes', async () => {
    market = new FakeDexMarket();
    await market.start();
    await until(
      'core checks',
      () => market.status.orderBooksInitialized && market.status.accountBalanceInitialized,
    );
    expect(market.status.connectorChecks).toEqual({ allowances_checked: false });
    expect(market.status.missing).toEqual(['allowances_checked']);
    expect(market.ready).toBe(false);
    market.allowancesChecked = true;
    expect(market.ready).toBe(true);
    expect(market.status.missing).toEqual([]);
  });

  it('prepares (hash, signature, expiry) and saves the order before it is sent', async () => {
    const saved: InFlightOrderJson[] = [];
    await startMarket(new FakeDexMarket({ persist: async (o) => void saved.push(o) }));
    const expiresAt = Date.now() + 60_000;
    const id = market.sell(PAIR, '10', 'limit', '0.0011', { expiresAt });
    await until('created', () => types(id).includes('SellOrderCreated'));
    expect(market.prepare).toHaveBeenCalledTimes(1);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.prepared).toEqual({
      exchangeOrderId: HASH,
      signature: '0x1b02',
      expiresAt,
      payload: { salt: '42' },
    });
    expect(saved[0]!.exchangeOrderId).toBe(HASH);
    expect(saved[0]!.state).toBe('PENDING_CREATE');
    // sendOrder already saw the hash as the exchange order id.
    expect(market.seenAtPlacement?.exchangeOrderId).toBe(HASH);
    const order = market.inFlightOrders.get(id)!;
    expect(order.expiresAt).toBe(expiresAt);
    expect(order.prepared?.signature).toBe('0x1b02');
    // Survives a restart: the saved form carries everything needed to look it up or resend it.
    const restored = InFlightOrder.fromJSON(JSON.parse(JSON.stringify(market.trackingStates[id])));
    expect(restored.prepared).toEqual(order.prepared);
    expect(restored.expiresAt).toBe(expiresAt);
    expect(restored.toJSON()).toEqual(market.trackingStates[id]);
  });

  it('a failed preparation or save fails the order and sends nothing', async () => {
    await startMarket(
      new FakeDexMarket({
        persist: async (o) => {
          if (o.side === 'buy') throw new Error('disk full');
        },
      }),
    );
    market.prepare.mockImplementationOnce(async () => {
      throw new HbError('authentication', 'no key to sign with');
    });
    const unsigned = market.sell(PAIR, '10', 'limit', '0.0011');
    await until('failure', () => types(unsigned).includes('OrderFailure'));
    const unsaved = market.buy(PAIR, '10', 'limit', '0.001');
    await until('failure', () => types(unsaved).includes('OrderFailure'));
    expect(market.place).not.toHaveBeenCalled();
    const failures = events.filter(
      (e): e is Extract<MarketEvent, { type: 'OrderFailure' }> => e.type === 'OrderFailure',
    );
    expect(failures.map((f) => f.error.reason)).toEqual(['authentication', 'unknown']);
    expect(failures[1]!.error.message).toContain('disk full');
  });

  it('timeouts per operation: connector defaults, market options override, the rest from requestTimeoutMs', async () => {
    await startMarket(new FakeDexMarket({ timeouts: { sendCancel: 30_000 } }));
    expect(market.timeout('sendOrder')).toBe(120_000);
    expect(market.timeout('sendCancel')).toBe(30_000);
    expect(market.timeout('fetchBalances')).toBe(5_000);
  });

  it('a placement slower than its own timeout is an unknown outcome, not a failure', async () => {
    await startMarket(new FakeDexMarket({ timeouts: { sendOrder: 40 } }));
    const notices: MarketNotice[] = [];
    market.notices$.subscribe((n) => notices.push(n));
    market.place.mockImplementationOnce(() => new Promise(() => undefined));
    const id = market.sell(PAIR, '10', 'limit', '0.0011');
    await until('unknown placement', () => notices.some((n) => n.kind === 'placement_unknown'));
    // Looked up by its hash, found open: created, never failed.
    await until('created', () => types(id).includes('SellOrderCreated'));
    expect(types(id)).not.toContain('OrderFailure');
  });

  it('a fill carries every fee with its asset; totals add up per asset and survive a restart', async () => {
    await startMarket(new FakeDexMarket());
    const id = market.buy(PAIR, '100', 'limit', '0.001');
    await until('created', () => types(id).includes('BuyOrderCreated'));
    market.apply([
      {
        kind: 'trade',
        update: {
          tradeId: '0xtx1:0',
          exchangeOrderId: HASH,
          tradingPair: PAIR,
          fillBaseAmount: new BigNumber(100),
          fillQuoteAmount: new BigNumber('0.1'),
          fillPrice: new BigNumber('0.001'),
          fee: { amount: new BigNumber('1.5'), asset: 'ZRX', kind: 'trading' },
          additionalFees: [
            { amount: new BigNumber('0.0003'), asset: 'ETH', kind: 'protocol' },
            { amount: new BigNumber('0.0002'), asset: 'ETH', kind: 'gas' },
          ],
          timestamp: 2,
        },
      },
    ]);
    await until('completed', () => types(id).includes('BuyOrderCompleted'));
    const filled = events.find((e) => e.type === 'OrderFilled');
    expect(
      filled?.type === 'OrderFilled' && filled.fees.map((f) => `${f.amount.toFixed()} ${f.asset} ${f.kind}`),
    ).toEqual(['1.5 ZRX trading', '0.0003 ETH protocol', '0.0002 ETH gas']);
    const done = events.find((e) => e.type === 'BuyOrderCompleted');
    expect(
      done?.type === 'BuyOrderCompleted' && done.fees.map((f) => `${f.amount.toFixed()} ${f.asset}`),
    ).toEqual(['1.5 ZRX', '0.0005 ETH']);
    const json = JSON.parse(JSON.stringify(market.trackingStates[id])) as InFlightOrderJson;
    const restored = InFlightOrder.fromJSON(json);
    expect(restored.fills.get('0xtx1:0')?.fees).toHaveLength(3);
    expect(restored.feesPaid.map((f) => `${f.amount.toFixed()} ${f.asset}`)).toEqual([
      '1.5 ZRX',
      '0.0005 ETH',
    ]);
    expect(restored.toJSON()).toEqual(json);
  });

  it('balances by source: available is the least of wallet and allowance, and maker orders lock nothing', async () => {
    await startMarket(new FakeDexMarket());
    expect(market.getBalance('WETH').toFixed()).toBe('10');
    expect(market.getBalance('WETH', 'allowance').toFixed()).toBe('4');
    expect(market.getAvailableBalance('WETH').toFixed()).toBe('4');
    expect([...market.getBalanceSources('WETH').keys()].sort()).toEqual(['allowance', 'wallet']);
    const id = market.buy(PAIR, '1000', 'limit', '0.001');
    await until('created', () => types(id).includes('BuyOrderCreated'));
    // A signed 0x order moves nothing until a taker fills it.
    expect(market.getAvailableBalance('WETH').toFixed()).toBe('4');
    expect(market.getAllBalances().get('ZRX')?.total.toFixed()).toBe('1000');
    // A source not read yet frees nothing.
    expect(market.getAvailableBalance('DAI').toFixed()).toBe('0');
  });

  it('expiry: refused when in the past, or on a venue whose orders take none', async () => {
    await startMarket(new FakeDexMarket());
    const past = market.sell(PAIR, '10', 'limit', '0.0011', { expiresAt: Date.now() - 1 });
    await until('failure', () => types(past).includes('OrderFailure'));
    const f = events.find((e) => e.type === 'OrderFailure');
    expect(f?.type === 'OrderFailure' && (f.error as OrderRuleError).rule).toBe('expiry');
    expect(market.prepare).not.toHaveBeenCalled();
    (market.capabilities as { orderExpiry?: boolean }).orderExpiry = false;
    const unsupported = market.sell(PAIR, '10', 'limit', '0.0011', { expiresAt: Date.now() + 60_000 });
    await until('failure', () => types(unsupported).includes('OrderFailure'));
    expect(market.place).not.toHaveBeenCalled();
  });

  it('in-flight orders are readable by users but only core changes them', async () => {
    await startMarket(new FakeDexMarket());
    const id = market.sell(PAIR, '10', 'limit', '0.0011');
    await until('created', () => types(id).includes('SellOrderCreated'));
    const order = market.inFlightOrders.get(id)!;
    expect(order.state).toBe('OPEN');
    expect(order.remainingAmount.toFixed()).toBe('10');
    // The public types have no mutators: each line below is a compile error.
    // @ts-expect-error setState is the tracker's
    expect(typeof order.setState).toBe('function');
    // @ts-expect-error applyTrade is the tracker's
    void order.applyTrade;
    // @ts-expect-error the exchange order id cannot be assigned
    expect(() => (order.exchangeOrderId = 'other')).toThrow(HbError);
    expect(market.activeOrders[0]?.clientOrderId).toBe(id);
  });
});
