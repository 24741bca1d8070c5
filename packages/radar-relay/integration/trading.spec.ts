// The Radar Relay connector's own path on the simulator and the local chain
// (real 0x v3 Exchange): allowances, a maker order signed and posted, filled on
// chain by another trader and cancelled on chain; a market order filled on chain
// with the protocol fee and gas as fees, and the wallet moved by exactly that.
import BigNumber from 'bignumber.js';
import { isHbError, type MarketEvent, type OrderFilledEvent } from '@hb/core';
import { FAST_TEST_MARKET_OPTIONS } from '@hb/testing';
import { isZeroExError } from '@hb/zero-ex';
import { RadarRelayMarket, type RadarRelayMarketOptions } from '../src/radar-relay-market.js';
import { startSandbox, type RadarRelaySandbox } from '../src/testing/index.js';

const PAIR = 'WETH-DAI';

let sandbox: RadarRelaySandbox;
let market: RadarRelayMarket | undefined;

function options(overrides: Partial<RadarRelayMarketOptions> = {}): RadarRelayMarketOptions {
  const sim = sandbox.simulator;
  return {
    tradingPairs: [PAIR],
    privateKey: sandbox.credentials.privateKey,
    restUrl: sandbox.endpoints.restUrl,
    wsUrl: sandbox.endpoints.wsUrl,
    rpcUrl: sandbox.endpoints.rpcUrl,
    chainId: sandbox.endpoints.chainId,
    exchangeAddress: sim.exchangeAddress,
    chainPollIntervalMs: 50,
    ...FAST_TEST_MARKET_OPTIONS,
    ...overrides,
  };
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function record(m: RadarRelayMarket): MarketEvent[] {
  const events: MarketEvent[] = [];
  m.events$.subscribe((e) => events.push(e));
  return events;
}

beforeEach(async () => {
  sandbox = await startSandbox({
    seed: 7,
    warmupOrders: 12,
    simulator: { rateLimits: false, pollIntervalMs: 50 },
  });
}, 60_000);

afterEach(async () => {
  await market?.stop();
  market = undefined;
  await sandbox.stop();
});

describe('radar-relay on the local chain', () => {
  it('becomes ready with the book equal to the relayer, reports missing allowances, and has an unapproved order refused by the relayer, typed allowance_missing', async () => {
    market = new RadarRelayMarket(options());
    await market.start();
    await market.waitUntilReady(30_000);
    expect(market.status.connectorChecks).toEqual({ chain_id_verified: true, allowances_checked: true });
    const truth = sandbox.simulator.trueBook(PAIR, 20);
    await waitFor('the book to match', () => {
      const book = market!.getOrderBook(PAIR);
      return (
        JSON.stringify([...book.bidEntries(20)]) === JSON.stringify(truth.bids) &&
        JSON.stringify([...book.askEntries(20)]) === JSON.stringify(truth.asks)
      );
    });
    expect((await market.missingAllowances()).sort()).toEqual(['DAI', 'WETH']);
    expect(market.getBalance('WETH', 'wallet').toFixed()).toBe('100');
    expect(market.getAvailableBalance('WETH').toFixed()).toBe('0');

    const events = record(market);
    const before = sandbox.simulator.orderRequestCount();
    const id = market.sell(PAIR, '1', 'limit', '1000');
    const failure = await waitFor('the failure', () =>
      events.find((e) => e.type === 'OrderFailure' && e.clientOrderId === id),
    );
    expect(failure.type === 'OrderFailure' && failure.error).toBeDefined();
    const error = failure.type === 'OrderFailure' ? failure.error : undefined;
    expect(isZeroExError(error, 'allowance_missing')).toBe(true);
    expect(isHbError(error) && error.reason).toBe('insufficient_funds');
    // Sent once: the relayer checked the maker's allowance and refused it; nothing was listed.
    expect(sandbox.simulator.orderRequestCount()).toBe(before + 1);
    expect(sandbox.simulator.ordersOf(sandbox.address)).toEqual([]);
  }, 60_000);

  it('signs and posts a maker order, follows its fill on chain once, and cancels it on chain', async () => {
    market = new RadarRelayMarket(options({ approveAllowances: true }));
    await market.start();
    await market.waitUntilReady(30_000);
    expect(await market.missingAllowances()).toEqual([]);
    const events = record(market);
    const id = market.sell(PAIR, '1', 'limit', '1000', { expiresAt: Date.now() + 3_600_000 });
    await waitFor('created', () =>
      events.find((e) => e.type === 'SellOrderCreated' && e.clientOrderId === id),
    );
    const order = market.inFlightOrders.get(id)!;
    const hash = order.exchangeOrderId!;
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
    // The relayer checked the hash and signature with the deployed Exchange and lists it.
    expect(sandbox.simulator.order(hash)?.toJson().state).toBe('OPEN');
    await waitFor(
      'our order on the book',
      () =>
        market!.getOrderBook(PAIR).askEntries(50).next().value !== undefined &&
        [...market!.getOrderBook(PAIR).askEntries(100)].some(([p]) => p === 1000),
    );

    // Another trader takes 0.4 WETH of it on chain.
    await sandbox.simulator.takers[0]!.fill(hash, '0.4');
    const fill = await waitFor('the fill', () =>
      events.find((e): e is OrderFilledEvent => e.type === 'OrderFilled' && e.clientOrderId === id),
    );
    expect(fill.amount.toFixed()).toBe('0.4');
    expect(fill.price.toFixed()).toBe('1000');
    await market.cancel(PAIR, id);
    await waitFor('cancelled', () =>
      events.find((e) => e.type === 'OrderCancelled' && e.clientOrderId === id),
    );
    expect(events.filter((e) => e.type === 'OrderFilled' && e.clientOrderId === id)).toHaveLength(1);
    expect(market.inFlightOrders.get(id)!.executedBaseAmount.toFixed()).toBe('0.4');
    await sandbox.simulator.sync();
    await waitFor(
      'the relayer to see the cancel',
      () => sandbox.simulator.order(hash)?.toJson().state === 'CANCELLED',
    );
  }, 90_000);

  it('fills a market buy on chain: the wallet moves by the fill, the protocol fee and the gas', async () => {
    market = new RadarRelayMarket(options({ approveAllowances: true }));
    await market.start();
    await market.waitUntilReady(30_000);
    await market.pollNow();
    const weth0 = market.getBalance('WETH', 'wallet');
    const dai0 = market.getBalance('DAI', 'wallet');
    const eth0 = market.getBalance('ETH', 'wallet');
    const events = record(market);
    const id = market.buy(PAIR, '0.5', 'market');
    const done = await waitFor(
      'completed',
      () =>
        events.find(
          (e) => (e.type === 'BuyOrderCompleted' || e.type === 'OrderFailure') && e.clientOrderId === id,
        ),
      60_000,
    );
    expect(done.type).toBe('BuyOrderCompleted');
    const fills = events.filter(
      (e): e is OrderFilledEvent => e.type === 'OrderFilled' && e.clientOrderId === id,
    );
    const base = fills.reduce((a, f) => a.plus(f.amount), new BigNumber(0));
    const quote = fills.reduce((a, f) => a.plus(f.amount.times(f.price)), new BigNumber(0));
    expect(base.toFixed()).toBe('0.5');
    const fees = fills.flatMap((f) => f.fees);
    const protocol = fees
      .filter((f) => f.kind === 'protocol')
      .reduce((a, f) => a.plus(f.amount), new BigNumber(0));
    const gas = fees.filter((f) => f.kind === 'gas').reduce((a, f) => a.plus(f.amount), new BigNumber(0));
    expect(protocol.gt(0)).toBe(true);
    expect(gas.gt(0)).toBe(true);
    await market.pollNow();
    expect(market.getBalance('WETH', 'wallet').toFixed()).toBe(weth0.plus(base).toFixed());
    expect(market.getBalance('DAI', 'wallet').toFixed()).toBe(dai0.minus(quote).toFixed());
    expect(market.getBalance('ETH', 'wallet').toFixed()).toBe(eth0.minus(protocol).minus(gas).toFixed());
  }, 90_000);

  it('reconciles after a restart: a fill made while stopped arrives once, a later one too', async () => {
    const first = new RadarRelayMarket(options({ approveAllowances: true }));
    market = first;
    await first.start();
    await first.waitUntilReady(30_000);
    const events1 = record(first);
    const id = first.sell(PAIR, '1', 'limit', '1000');
    await waitFor('created', () =>
      events1.find((e) => e.type === 'SellOrderCreated' && e.clientOrderId === id),
    );
    const hash = first.inFlightOrders.get(id)!.exchangeOrderId!;
    const saved = first.trackingStates;
    await first.stop();
    market = undefined;

    await sandbox.simulator.takers[0]!.fill(hash, '0.3');
    const second = new RadarRelayMarket(options());
    market = second;
    const events = record(second);
    second.restoreTrackingStates(saved);
    await second.start();
    await second.waitUntilReady(30_000);
    await waitFor('the fill made while stopped', () =>
      events.some((e) => e.type === 'OrderFilled' && e.clientOrderId === id),
    );
    await sandbox.simulator.takers[1]!.fill(hash, '0.2');
    await waitFor(
      'the second fill',
      () => events.filter((e) => e.type === 'OrderFilled' && e.clientOrderId === id).length === 2,
    );
    await second.pollNow();
    await second.pollNow();
    const fills = events.filter(
      (e): e is OrderFilledEvent => e.type === 'OrderFilled' && e.clientOrderId === id,
    );
    expect(fills.map((f) => f.amount.toFixed())).toEqual(['0.3', '0.2']);
    expect(second.inFlightOrders.get(id)!.executedBaseAmount.toFixed()).toBe('0.5');
  }, 90_000);

  it('re-snapshots after a dropped book socket and follows the relayer again', async () => {
    market = new RadarRelayMarket(options());
    await market.start();
    await market.waitUntilReady(30_000);
    const resyncsBefore = market.orderBookStats!.resyncs;
    expect(sandbox.simulator.dropMarketSockets()).toBeGreaterThan(0);
    await sandbox.activity.step(20);
    await waitFor('a resync', () => market!.orderBookStats!.resyncs > resyncsBefore);
    await waitFor('the book to match the relayer after the drop', () => {
      const truth = sandbox.simulator.trueBook(PAIR, 20);
      const book = market!.getOrderBook(PAIR);
      return (
        market!.getBookStatus(PAIR).status === 'live' &&
        JSON.stringify([...book.bidEntries(20)]) === JSON.stringify(truth.bids) &&
        JSON.stringify([...book.askEntries(20)]) === JSON.stringify(truth.asks)
      );
    });
  }, 90_000);

  it('an order past its 0x expiry ends as OrderExpired, once', async () => {
    market = new RadarRelayMarket(options({ approveAllowances: true }));
    await market.start();
    await market.waitUntilReady(30_000);
    const events = record(market);
    const chainNow = await sandbox.simulator.chain.latestTimestamp();
    const id = market.sell(PAIR, '1', 'limit', '1000', { expiresAt: (chainNow + 600) * 1000 });
    await waitFor('created', () =>
      events.find((e) => e.type === 'SellOrderCreated' && e.clientOrderId === id),
    );
    await sandbox.simulator.chain.increaseTime(1_200);
    await sandbox.simulator.chain.mine();
    await waitFor('expired', () => events.find((e) => e.type === 'OrderExpired' && e.clientOrderId === id));
    await market.pollNow();
    expect(events.filter((e) => e.clientOrderId === id && e.type === 'OrderExpired')).toHaveLength(1);
    expect(market.inFlightOrders.get(id)!.state).toBe('EXPIRED');
  }, 90_000);
});
