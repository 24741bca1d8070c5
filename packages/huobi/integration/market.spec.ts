// Seed requirement "market test": HuobiMarket against the simulator — reference
// data and the spot account lookup, limit / limit-maker / market orders with our
// client order id, cancel by client order id, fills with the fee charged, rule
// refusals never sent, exchange refusals as typed errors, a placement whose answer
// never came (looked up by client order id), and a refused timestamp recovered by
// a clock re-sync.
import { afterEach, describe, expect, it } from '@jest/globals';
import BigNumber from 'bignumber.js';
import type { MarketNotice } from '@hb/core/connector';
import { Cleanup, FAST_TEST_MARKET_OPTIONS, has, startLoggedMarket, waitFor } from '@hb/testing';
import { HuobiMarket, type HuobiMarketOptions } from '../src/huobi-market.js';
import { DEMO_ACCOUNT, type HuobiSimulator } from '../src/testing/index.js';
import { startSimulator } from './helpers/sim-env.js';

const PAIR = 'BTC-USDT';

describe('market test (seed requirement)', () => {
  const cleanup = new Cleanup();
  afterEach(async () => {
    await cleanup.run();
  });

  async function setUp(overrides: Partial<HuobiMarketOptions> = {}, simOptions = {}) {
    const sim = await startSimulator(cleanup, simOptions);
    const activity = sim.activity(3, { pairs: [PAIR] });
    activity.step(150);
    const market = new HuobiMarket({
      tradingPairs: [PAIR],
      apiKey: DEMO_ACCOUNT.apiKey,
      apiSecret: DEMO_ACCOUNT.apiSecret,
      restUrl: sim.restUrl,
      wsUrl: sim.wsUrl,
      ...FAST_TEST_MARKET_OPTIONS,
      ...overrides,
    });
    const notices: MarketNotice[] = [];
    const sub = market.notices$.subscribe((n) => notices.push(n));
    cleanup.add(() => sub.unsubscribe());
    const { log } = await startLoggedMarket(cleanup, market);
    return { sim, market, log, notices, activity };
  }

  function inside(sim: HuobiSimulator, side: 'buy' | 'sell'): BigNumber {
    const e = sim.engine(PAIR);
    return side === 'buy' ? e.bestBid()!.minus('0.01') : e.bestAsk()!.plus('0.01');
  }

  it('loads trading rules from the reference data and finds the spot account among several', async () => {
    const { sim, market } = await setUp();
    const rule = market.tradingRules.get(PAIR)!;
    expect(rule.minPriceIncrement.toFixed()).toBe('0.01');
    expect(rule.minBaseAmountIncrement.toFixed()).toBe('0.000001');
    expect(rule.minQuoteAmountIncrement.toFixed()).toBe('0.00000001');
    expect(rule.minOrderSize.toFixed()).toBe('0.0001');
    expect(rule.maxOrderSize.toFixed()).toBe('1000');
    expect(rule.minNotional.toFixed()).toBe('5');
    expect(market.tradingRules.get('XRP-USDT')?.tradingEnabled).toBe(false);
    // The simulator lists an OTC account first.
    expect(await market.accountId()).toBe(String(sim.spotAccountId(DEMO_ACCOUNT.apiKey)));
    expect(market.getBalance('USDT').toFixed()).toBe('1000000');
  });

  it('a limit buy rests with our client order id on the exchange, and is cancelled by that id', async () => {
    const { sim, market, log } = await setUp();
    const price = inside(sim, 'buy');
    const id = market.buy(PAIR, '0.01', 'limit', price);
    await waitFor('BuyOrderCreated', () => has(log, id, 'BuyOrderCreated'));
    const onExchange = sim.orderByClientOrderId(DEMO_ACCOUNT.apiKey, id);
    expect(onExchange?.price?.toFixed()).toBe(price.toFixed());
    expect(market.inFlightOrders.get(id)?.exchangeOrderId).toBe(onExchange?.orderId);
    const open = await market.fetchOpenOrders(PAIR);
    expect(open.map((o) => o.clientOrderId)).toContain(id);
    await market.cancel(PAIR, id);
    await waitFor('OrderCancelled', () => has(log, id, 'OrderCancelled'));
    expect(sim.orderByClientOrderId(DEMO_ACCOUNT.apiKey, id)?.status).toBe('cancelled');
  });

  it('market buy and sell fill with the fee the exchange charged (base for buys, quote for sells)', async () => {
    const { sim, market, log } = await setUp();
    const buy = market.buy(PAIR, '0.01', 'market');
    await waitFor('the market buy completed', () => has(log, buy, 'BuyOrderCompleted'));
    const buyFills = log.fillsOf(buy);
    expect(buyFills.length).toBeGreaterThan(0);
    expect(new Set(buyFills.map((f) => f.fee.asset))).toEqual(new Set(['BTC']));
    const engineBuy = sim.orderByClientOrderId(DEMO_ACCOUNT.apiKey, buy)!;
    expect(log.filledAmount(buy).toFixed()).toBe(engineBuy.filledAmount.toFixed());
    expect(buyFills.reduce((s, f) => s.plus(f.fee.amount), new BigNumber(0)).toFixed()).toBe(
      engineBuy.feePaid.toFixed(),
    );

    const sell = market.sell(PAIR, '0.005', 'market');
    await waitFor('the market sell completed', () => has(log, sell, 'SellOrderCompleted'));
    const sellFills = log.fillsOf(sell);
    expect(new Set(sellFills.map((f) => f.fee.asset))).toEqual(new Set(['USDT']));
    expect(log.filledAmount(sell).toFixed()).toBe('0.005');
  });

  it('a limit-maker that would take is accepted and cancelled without a fill', async () => {
    const { sim, market, log } = await setUp();
    const crossing = sim.engine(PAIR).bestAsk()!;
    const id = market.buy(PAIR, '0.01', 'limit_maker', crossing);
    await waitFor('OrderCancelled', () => has(log, id, 'OrderCancelled'));
    expect(log.fillsOf(id)).toEqual([]);
    const resting = market.buy(PAIR, '0.01', 'limit_maker', inside(sim, 'buy'));
    await waitFor('BuyOrderCreated', () => has(log, resting, 'BuyOrderCreated'));
    expect(sim.orderByClientOrderId(DEMO_ACCOUNT.apiKey, resting)?.postOnly).toBe(true);
  });

  it('below the minimum is refused before sending; insufficient balance is the exchange refusal, typed', async () => {
    const { sim, market, log } = await setUp();
    const sent = sim.orderRequestCount(DEMO_ACCOUNT.apiKey);
    const tiny = market.buy(PAIR, '0.00005', 'limit', inside(sim, 'buy'));
    await waitFor('OrderFailure', () => has(log, tiny, 'OrderFailure'));
    expect(log.failureOf(tiny).error).toMatchObject({ name: 'OrderRuleError', rule: 'min_order_size' });
    expect(sim.orderRequestCount(DEMO_ACCOUNT.apiKey)).toBe(sent);

    const huge = market.sell(PAIR, '500', 'limit', inside(sim, 'sell'));
    await waitFor('OrderFailure', () => has(log, huge, 'OrderFailure'));
    expect(log.failureOf(huge).error).toMatchObject({
      reason: 'insufficient_funds',
      exchangeCode: 'order-accountbalance-error',
    });
    expect(sim.orderRequestCount(DEMO_ACCOUNT.apiKey)).toBe(sent + 1);
  });

  it('a placement whose answer never came is looked up by client order id, not failed', async () => {
    const { sim, market, log, notices } = await setUp();
    sim.failNextOrder({ apply: true, outcome: 'timeout' });
    const id = market.buy(PAIR, '0.01', 'limit', inside(sim, 'buy'));
    await waitFor('placement_unknown', () => notices.some((n) => n.kind === 'placement_unknown'), 10_000);
    await waitFor('BuyOrderCreated after the lookup', () => has(log, id, 'BuyOrderCreated'), 10_000);
    expect(has(log, id, 'OrderFailure')).toBe(false);
    expect(market.inFlightOrders.get(id)?.exchangeOrderId).toBe(
      sim.orderByClientOrderId(DEMO_ACCOUNT.apiKey, id)?.orderId,
    );
  });

  it('a refused timestamp (server clock 10 minutes ahead) is recovered by one clock re-sync', async () => {
    const { sim, market, log } = await setUp();
    sim.skewClock(10 * 60_000);
    const id = market.buy(PAIR, '0.01', 'limit', inside(sim, 'buy'));
    await waitFor('BuyOrderCreated', () => has(log, id, 'BuyOrderCreated'));
    expect(market.api.serverTime.offsetMs).toBeGreaterThan(9 * 60_000);
  });

  it('a wrong secret: balances fail with the exchange authentication error', async () => {
    const sim = await startSimulator(cleanup);
    const market = new HuobiMarket({
      tradingPairs: [PAIR],
      apiKey: DEMO_ACCOUNT.apiKey,
      apiSecret: 'not-the-secret',
      restUrl: sim.restUrl,
      wsUrl: sim.wsUrl,
      ...FAST_TEST_MARKET_OPTIONS,
    });
    const notices: MarketNotice[] = [];
    market.notices$.subscribe((n) => notices.push(n));
    cleanup.add(() => market.stop());
    await market.start();
    await waitFor('poll_failed', () => notices.some((n) => n.kind === 'poll_failed'));
    const failure = notices.find((n) => n.kind === 'poll_failed');
    expect(failure?.kind === 'poll_failed' && failure.error).toMatchObject({
      reason: 'authentication',
      exchangeCode: 'api-signature-not-valid',
    });
    expect(market.status.accountBalanceInitialized).toBe(false);
  });
});
