// Seed requirement "market test": CoinbaseProMarket against the Coinbase simulator on
// 127.0.0.1 — what is Coinbase's own: /products rules and their status flags,
// balances, every order type with our id as client_oid, cursor-paginated open
// orders, minimum funds, purged orders. Cancels, generic rule checks, unknown
// outcomes, 429, clock skew, funds, keys and restarts are the conformance
// suite's (conformance.spec.ts), shared by every connector.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import BigNumber from 'bignumber.js';
import { HbError, OrderRuleError } from '@hb/core/connector';
import {
  Cleanup,
  demoAccount,
  has,
  insideSpread,
  sleep,
  takeFromOurOrder,
  typesOf,
  validateOrderEvents,
  waitFor,
  type EventLog,
} from '@hb/testing';
import { isUuidV4 } from '@hb/core/connector';
import { COINBASE_PRO_CLIENT_ORDER_IDS } from '../src/coinbase-pro-utils.js';
import type { CoinbaseProSimulator } from '../src/testing/index.js';
import { startMarket, startSimulator } from './helpers/sim-env.js';

const PAIR = 'BTC-USD';

describe('market test (seed requirement)', () => {
  const cleanup = new Cleanup();
  let sim: CoinbaseProSimulator;
  let apiKey: string;

  beforeEach(async () => {
    sim = await startSimulator(cleanup, { seed: 3 });
    apiKey = demoAccount(sim).apiKey;
    // A two-sided book around 30 000 with a spread of several ticks.
    sim.activity(7, { pairs: [PAIR] }).step(100);
  });

  afterEach(async () => {
    await cleanup.run();
  });

  /** The fees the simulator charged our order, by trade id. */
  function chargedFees(id: string): Map<string, BigNumber> {
    const order = sim.orderByClientOid(apiKey, id);
    if (order === undefined) throw new Error(`the simulator has no order ${id}`);
    const rows = sim.engine(order.pair).accountTrades(apiKey, { orderId: order.orderId });
    return new Map(rows.map((r) => [String(r.trade.tradeId), r.fee.amount]));
  }

  /** Our fills carry exactly the fees the exchange charged, in the quote currency. */
  function expectFeesCharged(log: EventLog, id: string, quote: string): void {
    const charged = chargedFees(id);
    const fills = log.fillsOf(id);
    expect(fills.length).toBe(charged.size);
    expect(fills.length).toBeGreaterThan(0);
    for (const f of fills) {
      expect(f.fee.asset).toBe(quote);
      expect(f.fee.amount.toFixed()).toBe(charged.get(f.tradeId)?.toFixed());
    }
  }

  it('loads the trading rules from /products: tick, step, minimum funds', async () => {
    const { market } = await startMarket(cleanup, sim, { tradingPairs: ['BTC-USD', 'ETH-BTC'] });
    const btc = market.tradingRules.get('BTC-USD');
    const ethBtc = market.tradingRules.get('ETH-BTC');
    expect(btc).toBeDefined();
    expect(ethBtc).toBeDefined();
    expect(btc!.minPriceIncrement.toFixed()).toBe('0.01');
    expect(btc!.minBaseAmountIncrement.toFixed()).toBe('0.00000001');
    expect(btc!.minNotional.toFixed()).toBe('1');
    // Since 2022 Coinbase has no minimum size, only minimum funds.
    expect(btc!.minOrderSize.toFixed()).toBe('0');
    expect(btc!.tradingEnabled).toBe(true);
    expect([...btc!.supportedOrderTypes].sort()).toEqual(['limit', 'limit_maker', 'market']);
    expect(ethBtc!.minPriceIncrement.toFixed()).toBe('0.00001');
    expect(ethBtc!.minNotional.toFixed()).toBe('0.0001');
    expect(market.status.tradingRulesInitialized).toBe(true);
  });

  it('reads the status flags limit_only, post_only, cancel_only, trading_disabled and refuses what they forbid before sending', async () => {
    const flagged = await startSimulator(cleanup, {
      seed: 4,
      products: [
        { id: 'BTC-USD', midPrice: '30000' },
        { id: 'LTC-USD', midPrice: '80', limitOnly: true },
        { id: 'SOL-USD', midPrice: '150', postOnly: true },
        { id: 'ADA-USD', midPrice: '1', cancelOnly: true },
        { id: 'XRP-USD', midPrice: '1', tradingDisabled: true },
        { id: 'DOT-USD', midPrice: '5', status: 'delisted' },
      ],
    });
    const pairs = ['LTC-USD', 'SOL-USD', 'ADA-USD', 'XRP-USD', 'DOT-USD'];
    const { market, log } = await startMarket(cleanup, flagged, { tradingPairs: pairs });
    const rule = (pair: string) => {
      const r = market.tradingRules.get(pair);
      if (r === undefined) throw new Error(`no rule for ${pair}`);
      return r;
    };
    expect([...rule('LTC-USD').supportedOrderTypes].sort()).toEqual(['limit', 'limit_maker']);
    expect(rule('LTC-USD').tradingEnabled).toBe(true);
    expect([...rule('SOL-USD').supportedOrderTypes]).toEqual(['limit_maker']);
    expect(rule('SOL-USD').tradingEnabled).toBe(true);
    expect(rule('ADA-USD').tradingEnabled).toBe(false);
    expect(rule('XRP-USD').tradingEnabled).toBe(false);
    expect(rule('DOT-USD').tradingEnabled).toBe(false);

    const key = demoAccount(flagged).apiKey;
    const before = flagged.orderRequestCount(key);
    const refused = [
      { id: market.buy('LTC-USD', '1', 'market'), rule: 'order_type' },
      { id: market.buy('SOL-USD', '1', 'limit', '100'), rule: 'order_type' },
      { id: market.buy('ADA-USD', '10', 'limit', '0.5'), rule: 'trading_disabled' },
      { id: market.buy('XRP-USD', '10', 'limit', '0.5'), rule: 'trading_disabled' },
    ];
    for (const r of refused) {
      await log.waitForTerminal(r.id);
      const { error } = log.failureOf(r.id);
      expect(error).toBeInstanceOf(OrderRuleError);
      expect((error as OrderRuleError).rule).toBe(r.rule);
    }
    // What the flags allow still goes through.
    const allowed = market.buy('SOL-USD', '1', 'limit_maker', '100');
    await log.waitFor('the post-only order on the post-only product', () =>
      has(log, allowed, 'BuyOrderCreated'),
    );
    await sleep(50);
    expect(flagged.orderRequestCount(key)).toBe(before + 1);
  });

  it('loads balances from /accounts, and a resting order lowers the available balance', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    expect(market.getBalance('BTC').toFixed()).toBe('1');
    expect(market.getBalance('ETH').toFixed()).toBe('10');
    expect(market.getBalance('USD').toFixed()).toBe('100000');
    expect(market.status.accountBalanceInitialized).toBe(true);

    const price = insideSpread(sim, PAIR, 'buy');
    const id = market.buy(PAIR, '0.01', 'limit', price);
    await log.waitFor('Created', () => has(log, id, 'BuyOrderCreated'));
    const locked = price.times('0.01');
    await waitFor('available USD to drop by the order', () =>
      market.getAvailableBalance('USD').eq(new BigNumber(100000).minus(locked)),
    );
    // The exchange's own hold, read back from /accounts on the next full poll.
    await waitFor(
      'the exchange balance',
      () => market.getBalance('USD').eq(100000) && market.getAvailableBalance('USD').lt(100000),
    );
  });

  it('places a limit (GTC) buy and sell with our id as client_oid; both rest on the book', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const bidPrice = insideSpread(sim, PAIR, 'buy');
    const askPrice = insideSpread(sim, PAIR, 'sell');
    const buyId = market.buy(PAIR, '0.002', 'limit', bidPrice);
    const sellId = market.sell(PAIR, '0.003', 'limit', askPrice);
    // Our ids are what Coinbase accepts as client_oid: lowercase UUIDv4s.
    expect(isUuidV4(buyId)).toBe(true);
    expect(isUuidV4(sellId)).toBe(true);
    await log.waitFor(
      'both created',
      () => has(log, buyId, 'BuyOrderCreated') && has(log, sellId, 'SellOrderCreated'),
    );

    // The simulator indexes an order by client_oid only when the request carried a valid one.
    const buyOnSim = sim.orderByClientOid(apiKey, buyId);
    const sellOnSim = sim.orderByClientOid(apiKey, sellId);
    expect(buyOnSim?.status).toBe('new');
    expect(sellOnSim?.status).toBe('new');
    expect(buyOnSim?.timeInForce).toBe('GTC');
    expect(buyOnSim?.postOnly).toBe(false);
    expect(market.inFlightOrders.get(buyId)?.exchangeOrderId).toBe(buyOnSim?.orderId);
    expect(market.inFlightOrders.get(sellId)?.exchangeOrderId).toBe(sellOnSim?.orderId);
    expect(sim.engine(PAIR).bestBid()?.toFixed()).toBe(bidPrice.toFixed());
    expect(sim.engine(PAIR).bestAsk()?.toFixed()).toBe(askPrice.toFixed());
    expect(market.inFlightOrders.get(buyId)?.state).toBe('OPEN');
  });

  it('a resting buy filled by another trader: Created, OrderFilled with the maker fee charged, Completed', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const price = insideSpread(sim, PAIR, 'buy');
    const id = market.buy(PAIR, '0.001', 'limit', price);
    await log.waitFor('Created', () => has(log, id, 'BuyOrderCreated'));
    takeFromOurOrder(sim, apiKey, PAIR, 'buy', price, '0.001');
    await log.waitForTerminal(id);
    expect(typesOf(log, id)).toEqual(['BuyOrderCreated', 'OrderFilled', 'BuyOrderCompleted']);
    const [fill] = log.fillsOf(id);
    expect(fill!.price.toFixed()).toBe(price.toFixed());
    expect(fill!.isMaker).toBe(true);
    // 0.4 % maker fee on price x size, in USD.
    expect(fill!.fee.amount.toFixed()).toBe(price.times('0.001').times('0.004').toFixed());
    expectFeesCharged(log, id, 'USD');
    validateOrderEvents(id, log.events);
  });

  it('balances follow a fill: after a buy fill, base up and quote down, as the exchange says', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const btc = market.getBalance('BTC');
    const usd = market.getBalance('USD');
    const price = insideSpread(sim, PAIR, 'buy');
    const id = market.buy(PAIR, '0.001', 'limit', price);
    await log.waitFor('Created', () => has(log, id, 'BuyOrderCreated'));
    takeFromOurOrder(sim, apiKey, PAIR, 'buy', price, '0.001');
    await log.waitForTerminal(id);
    const fee = price.times('0.001').times('0.004');
    await waitFor('balances to follow the fill', () => market.getBalance('BTC').eq(btc.plus('0.001')));
    expect(market.getBalance('USD').toFixed()).toBe(usd.minus(price.times('0.001')).minus(fee).toFixed());
  });

  it('a post-only (limit_maker) buy and sell rest with post_only set', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const buyId = market.buy(PAIR, '0.001', 'limit_maker', insideSpread(sim, PAIR, 'buy'));
    const sellId = market.sell(PAIR, '0.001', 'limit_maker', insideSpread(sim, PAIR, 'sell'));
    await log.waitFor(
      'both created',
      () => has(log, buyId, 'BuyOrderCreated') && has(log, sellId, 'SellOrderCreated'),
    );
    for (const id of [buyId, sellId]) {
      const onSim = sim.orderByClientOid(apiKey, id);
      expect(onSim?.status).toBe('new');
      expect(onSim?.postOnly).toBe(true);
      expect(has(log, id, 'OrderFailure')).toBe(false);
    }
  });

  it('a crossing post-only order (200, status rejected) fails as invalid_order', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const ask = sim.engine(PAIR).bestAsk()!;
    const id = market.buy(PAIR, '0.001', 'limit_maker', ask);
    await log.waitForTerminal(id);
    expect(typesOf(log, id)).toEqual(['OrderFailure']);
    const { error } = log.failureOf(id);
    expect(error).toBeInstanceOf(HbError);
    expect(error).not.toBeInstanceOf(OrderRuleError);
    expect(error.reason).toBe('invalid_order');
    expect(error.httpStatus).toBe(200);
    expect(error.message).toMatch(/post.?only/i);
    expect(sim.orderByClientOid(apiKey, id)?.status).toBe('rejected');
    // Nothing was taken: the ask is still there.
    expect(sim.engine(PAIR).bestAsk()?.toFixed()).toBe(ask.toFixed());
  });

  it.each(['buy', 'sell'] as const)(
    'a market %s fills, and each fill carries the taker fee the exchange charged',
    async (side) => {
      const { market, log } = await startMarket(cleanup, sim);
      const amount = new BigNumber('0.002');
      // The whole amount must be on the book, or the rest of the market order is cancelled.
      const truth = sim.trueBook(PAIR);
      const depth = (side === 'buy' ? truth.asks : truth.bids).reduce(
        (sum, [, a]) => sum.plus(a),
        new BigNumber(0),
      );
      expect(depth.gte(amount)).toBe(true);
      const id = side === 'buy' ? market.buy(PAIR, amount, 'market') : market.sell(PAIR, amount, 'market');
      await log.waitForTerminal(id);
      const types = typesOf(log, id);
      expect(types[0]).toBe(side === 'buy' ? 'BuyOrderCreated' : 'SellOrderCreated');
      expect(types[types.length - 1]).toBe(side === 'buy' ? 'BuyOrderCompleted' : 'SellOrderCompleted');
      validateOrderEvents(id, log.events);
      expect(sim.orderByClientOid(apiKey, id)?.status).toBe('filled');
      expectFeesCharged(log, id, 'USD');
      for (const f of log.fillsOf(id)) {
        expect(f.isMaker).toBe(false);
        expect(f.fee.amount.toFixed()).toBe(f.price.times(f.amount).times('0.006').toFixed());
      }
      expect(log.filledAmount(id).toFixed()).toBe('0.002');
      expect(sim.ledgerFilledAmount(apiKey, id).toFixed()).toBe('0.002');
    },
  );

  it('fetchOpenOrders follows the CB-AFTER cursor over more than one page', async () => {
    const { market } = await startMarket(cleanup, sim);
    // 130 resting buys far below the market, placed on the exchange directly (the
    // client sends 100 per page): two pages.
    const oids: string[] = [];
    for (let i = 0; i < 130; i++) {
      const client_oid = COINBASE_PRO_CLIENT_ORDER_IDS.create('buy', PAIR);
      oids.push(client_oid);
      sim.exchange.placeOrder(apiKey, {
        product_id: PAIR,
        side: 'buy',
        type: 'limit',
        price: new BigNumber(20000).plus(i).toFixed(),
        size: '0.0001',
        client_oid,
      });
    }
    const logStart = sim.requestLog().length;
    const open = await market.fetchOpenOrders(PAIR);
    expect(open).toHaveLength(130);
    expect(new Set(open.map((o) => o.clientOrderId))).toEqual(new Set(oids));
    expect(open.every((o) => o.state === 'OPEN' && o.orderType === 'limit' && o.side === 'buy')).toBe(true);
    const pages = sim
      .requestLog()
      .slice(logStart)
      .filter((r) => r.method === 'GET' && r.path === '/orders');
    expect(pages).toHaveLength(2);
  });

  it('quantizes amounts down to the size step and prices to the tick', async () => {
    const { market } = await startMarket(cleanup, sim, { tradingPairs: ['BTC-USD', 'ETH-BTC'] });
    expect(market.quantizeOrderAmount('BTC-USD', '0.123456789').toFixed()).toBe('0.12345678');
    expect(market.quantizeOrderPrice('BTC-USD', '30000.123').toFixed()).toBe('30000.12');
    expect(market.quantizeOrderPrice('ETH-BTC', '0.0612345').toFixed()).toBe('0.06123');
  });

  it('an order below the minimum funds is refused before sending', async () => {
    const { market, log } = await startMarket(cleanup, sim);
    const before = sim.orderRequestCount(apiKey);
    // 0.00001 BTC at ~30 000 is 0.30 USD; the minimum is 1 USD.
    const id = market.buy(PAIR, '0.00001', 'limit', insideSpread(sim, PAIR, 'buy'));
    await log.waitForTerminal(id);
    const { error } = log.failureOf(id);
    expect(error).toBeInstanceOf(OrderRuleError);
    expect((error as OrderRuleError).rule).toBe('min_notional');
    expect(error.reason).toBe('invalid_order');
    await sleep(50);
    expect(sim.orderRequestCount(apiKey)).toBe(before);
  });

  describe('faults', () => {
    it('a cancelled order with no fills that the exchange purges (404 afterwards) ends CANCELED, not FAILED', async () => {
      // No user channel: the outcome of the cancel is learnt by the lookup, which answers 404.
      const { market, log } = await startMarket(cleanup, sim, { useUserStream: false });
      const id = market.buy(PAIR, '0.001', 'limit', insideSpread(sim, PAIR, 'buy'));
      await log.waitFor('Created', () => has(log, id, 'BuyOrderCreated'));
      await market.cancel(PAIR, id);
      await log.waitForTerminal(id, 8_000);
      await sleep(100);
      expect(typesOf(log, id)).toEqual(['BuyOrderCreated', 'OrderCancelled']);
      expect(market.inFlightOrders.get(id)?.state ?? 'CANCELED').toBe('CANCELED');
      // The exchange forgot it: a lookup by client id is 404 NotFound.
      await expect(market.api.orderByClientOid(id)).rejects.toMatchObject({
        reason: 'order_not_found',
        httpStatus: 404,
      });
    });
  });
});
