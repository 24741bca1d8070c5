import BigNumber from 'bignumber.js';
import { HbError } from '@hb/core';
import { SimClock } from '../../src/clock/sim-clock.js';
import { BalanceLedger } from '../../src/engine/balance-ledger.js';
import type { EngineEvent } from '../../src/engine/engine-types.js';
import { FeeSchedule } from '../../src/engine/fee-schedule.js';
import { MatchingEngine, type MatchingEngineOptions } from '../../src/engine/matching-engine.js';

const bn = (v: BigNumber.Value): BigNumber => new BigNumber(v);

function setup(opts: Partial<MatchingEngineOptions> = {}, withLedger = true) {
  const clock = new SimClock({ startMs: 1_700_000_000_000 });
  const ledger = new BalanceLedger();
  const engine = new MatchingEngine({
    pair: 'BTC-USDT',
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    clock,
    ...(withLedger ? { ledger } : {}),
    ...opts,
  });
  const events: EngineEvent[] = [];
  engine.events$.subscribe((e) => events.push(e));
  for (const a of ['alice', 'bob', 'carol', 'dave']) {
    ledger.deposit(a, 'BTC', 100);
    ledger.deposit(a, 'USDT', 100_000);
  }
  return { clock, ledger, engine, events };
}

describe('MatchingEngine', () => {
  it('fills by price first, then by time within a price', () => {
    const { engine } = setup();
    const a = engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '100', amount: '1' });
    const b = engine.place({ account: 'bob', side: 'sell', type: 'limit', price: '100', amount: '1' });
    const c = engine.place({ account: 'carol', side: 'sell', type: 'limit', price: '99', amount: '1' });
    const t = engine.place({ account: 'dave', side: 'buy', type: 'limit', price: '100', amount: '2.5' });

    const trades = engine.recentTrades();
    expect(trades.map((x) => [x.makerOrderId, x.price.toFixed(), x.amount.toFixed()])).toEqual([
      [c.orderId, '99', '1'],
      [a.orderId, '100', '1'],
      [b.orderId, '100', '0.5'],
    ]);
    expect(trades.map((x) => x.tradeId)).toEqual([1, 2, 3]);
    expect(
      trades.every((x) => x.takerSide === 'buy' && x.takerOrderId === t.orderId && x.takerAccount === 'dave'),
    ).toBe(true);
    expect(engine.getOrder(t.orderId)?.status).toBe('filled');
    expect(engine.getOrder(b.orderId)?.status).toBe('partially_filled');
    expect(engine.levels('ask')).toEqual([['100', '0.5']]);
    expect(engine.levels('bid')).toEqual([]);
  });

  it('partially fills across levels and rests the remainder of a GTC limit', () => {
    const { engine, ledger } = setup();
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '101', amount: '1' });
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '102', amount: '1' });
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '105', amount: '1' });
    const t = engine.place({ account: 'bob', side: 'buy', type: 'limit', price: '103', amount: '3' });

    expect(t.status).toBe('partially_filled');
    expect(t.filledAmount.toFixed()).toBe('2');
    expect(t.filledQuote.toFixed()).toBe('203');
    expect(t.remaining.toFixed()).toBe('1');
    expect(t.onBook).toBe(true);
    expect(engine.levels('bid')).toEqual([['103', '1']]);
    expect(engine.levels('ask')).toEqual([['105', '1']]);
    // bob holds exactly what the resting 1 @ 103 can still cost: the 2 filled cost 203, not 206.
    expect(ledger.balance('bob', 'USDT').locked.toFixed()).toBe('103');
    expect(ledger.balance('bob', 'USDT').free.toFixed()).toBe(bn(100_000).minus(203).minus(103).toFixed());
    expect(ledger.balance('bob', 'BTC').total.toFixed()).toBe('102');
    ledger.assertInvariants();
  });

  it('charges maker and taker fees in the asset received, per account rates', () => {
    const fees = new FeeSchedule({ maker: '0.001', taker: '0.002' });
    fees.set('bob', { maker: '0', taker: '0.0005' });
    const { engine, ledger } = setup({ fees });
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '100', amount: '2' });
    engine.place({ account: 'bob', side: 'buy', type: 'limit', price: '100', amount: '2' });
    const [trade] = engine.recentTrades();
    expect(trade?.makerFee).toEqual({ asset: 'USDT', amount: bn('0.2') }); // 200 * 0.001
    expect(trade?.takerFee).toEqual({ asset: 'BTC', amount: bn('0.001') }); // 2 * 0.0005
    expect(ledger.balance('alice', 'USDT').total.toFixed()).toBe('100199.8');
    expect(ledger.balance('bob', 'BTC').total.toFixed()).toBe('101.999');
    expect(ledger.feesCollected('USDT').toFixed()).toBe('0.2');
    expect(ledger.feesCollected('BTC').toFixed()).toBe('0.001');
    ledger.assertInvariants();
  });

  it('holds the fee too when fees are charged in quote', () => {
    const { engine, ledger } = setup({
      feeAssetPolicy: 'quote',
      fees: new FeeSchedule({ maker: '0.001', taker: '0.002' }),
    });
    const buy = engine.place({ account: 'bob', side: 'buy', type: 'limit', price: '100', amount: '1' });
    expect(ledger.balance('bob', 'USDT').locked.toFixed()).toBe('100.2');
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '100', amount: '1' });
    expect(engine.getOrder(buy.orderId)?.feePaid.toFixed()).toBe('0.1'); // bob was maker
    expect(ledger.balance('bob', 'USDT').locked.toFixed()).toBe('0');
    expect(ledger.balance('bob', 'USDT').total.toFixed()).toBe('99899.9');
    expect(ledger.balance('alice', 'USDT').total.toFixed()).toBe('100099.8');
    ledger.assertInvariants();
  });

  it('fills a market buy by quote amount and calls leftover dust filled', () => {
    const { engine, ledger, events } = setup();
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '100', amount: '1' });
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '101', amount: '2' });
    events.length = 0;
    const m = engine.place({ account: 'bob', side: 'buy', type: 'market', quoteAmount: '150' });

    // 1 @ 100, then 50 / 101 floored to 8 decimals.
    expect(m.status).toBe('filled');
    expect(m.filledAmount.toFixed()).toBe('1.4950495');
    expect(m.filledQuote.toFixed()).toBe('149.9999995');
    expect(m.quoteAmount?.toFixed()).toBe('150');
    expect(ledger.balance('bob', 'USDT').locked.toFixed()).toBe('0');
    expect(ledger.balance('bob', 'USDT').free.toFixed()).toBe('99850.0000005');
    const takerFills = events.filter(
      (e) => (e.type === 'order_filled' || e.type === 'order_partially_filled') && !e.isMaker,
    );
    expect(takerFills.map((e) => e.type)).toEqual(['order_partially_filled', 'order_filled']);
    expect(events.some((e) => e.type === 'order_expired')).toBe(false);
    ledger.assertInvariants();
  });

  it('fills a market buy by base amount, holding exactly the walk cost, and expires what the book lacks', () => {
    const { engine, ledger } = setup();
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '100', amount: '1' });
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '110', amount: '1' });
    const m = engine.place({ account: 'bob', side: 'buy', type: 'market', amount: '3' });
    expect(m.status).toBe('expired');
    expect(m.expireReason).toBe('time_in_force');
    expect(m.filledAmount.toFixed()).toBe('2');
    expect(m.filledQuote.toFixed()).toBe('210');
    expect(ledger.balance('bob', 'USDT').locked.toFixed()).toBe('0');
    expect(engine.levels('ask')).toEqual([]);
    ledger.assertInvariants();
  });

  it('sells at market by quote amount', () => {
    const { engine, ledger } = setup();
    engine.place({ account: 'alice', side: 'buy', type: 'limit', price: '100', amount: '1' });
    engine.place({ account: 'alice', side: 'buy', type: 'limit', price: '90', amount: '5' });
    const m = engine.place({ account: 'bob', side: 'sell', type: 'market', quoteAmount: '145' });
    expect(m.status).toBe('filled');
    expect(m.filledAmount.toFixed()).toBe('1.5');
    expect(m.filledQuote.toFixed()).toBe('145');
    expect(ledger.balance('bob', 'BTC').locked.toFixed()).toBe('0');
    expect(ledger.balance('bob', 'BTC').free.toFixed()).toBe('98.5');
    ledger.assertInvariants();
  });

  it('rejects a post-only order that would take, and changes nothing', () => {
    const { engine, ledger, events } = setup();
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '100', amount: '1' });
    events.length = 0;
    const p = engine.place({
      account: 'bob',
      side: 'buy',
      type: 'limit',
      price: '100',
      amount: '1',
      postOnly: true,
    });
    expect(p.status).toBe('rejected');
    expect(p.rejectReason).toBe('post_only_would_take');
    expect(events.map((e) => e.type)).toEqual(['order_rejected']);
    expect(engine.levels('ask')).toEqual([['100', '1']]);
    expect(ledger.balance('bob', 'USDT').locked.toFixed()).toBe('0');
    expect(engine.getOrder(p.orderId)).toBeUndefined();

    const ok = engine.place({
      account: 'bob',
      side: 'buy',
      type: 'limit',
      price: '99.99',
      amount: '1',
      postOnly: true,
    });
    expect(ok.status).toBe('new');
    expect(ok.onBook).toBe(true);
  });

  it('expires the unfilled remainder of an IOC order and releases its hold', () => {
    const { engine, ledger, events } = setup();
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '100', amount: '1' });
    events.length = 0;
    const o = engine.place({
      account: 'bob',
      side: 'buy',
      type: 'limit',
      price: '100',
      amount: '3',
      timeInForce: 'IOC',
    });
    expect(o.status).toBe('expired');
    expect(o.expireReason).toBe('time_in_force');
    expect(o.filledAmount.toFixed()).toBe('1');
    expect(o.remaining.toFixed()).toBe('0');
    expect(o.onBook).toBe(false);
    expect(engine.levels('bid')).toEqual([]);
    expect(ledger.balance('bob', 'USDT').locked.toFixed()).toBe('0');
    expect(ledger.balance('bob', 'USDT').free.toFixed()).toBe('99900');
    expect(events.map((e) => e.type)).toEqual([
      'order_accepted',
      'trade',
      'order_filled',
      'order_partially_filled',
      'book_level_changed',
      'order_expired',
    ]);
  });

  it('expires a FOK order that cannot fill completely without trading', () => {
    const { engine } = setup();
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '100', amount: '1' });
    const o = engine.place({
      account: 'bob',
      side: 'buy',
      type: 'limit',
      price: '100',
      amount: '2',
      timeInForce: 'FOK',
    });
    expect(o.status).toBe('expired');
    expect(o.expireReason).toBe('fill_or_kill');
    expect(engine.recentTrades()).toHaveLength(0);
    const f = engine.place({
      account: 'bob',
      side: 'buy',
      type: 'limit',
      price: '100',
      amount: '1',
      timeInForce: 'FOK',
    });
    expect(f.status).toBe('filled');
  });

  it('cancels by order id and by client order id, releasing the holds', () => {
    const { engine, ledger, events } = setup();
    const buy = engine.place({
      account: 'bob',
      side: 'buy',
      type: 'limit',
      price: '100',
      amount: '2',
      clientOrderId: 'b-1',
    });
    const sell = engine.place({
      account: 'bob',
      side: 'sell',
      type: 'limit',
      price: '120',
      amount: '3',
      clientOrderId: 's-1',
    });
    expect(ledger.balance('bob', 'USDT').locked.toFixed()).toBe('200');
    expect(ledger.balance('bob', 'BTC').locked.toFixed()).toBe('3');

    expect(engine.cancel(buy.orderId, 'alice')).toBeUndefined(); // someone else's order
    events.length = 0;
    const c = engine.cancel(buy.orderId, 'bob');
    expect(c?.status).toBe('cancelled');
    expect(events.map((e) => e.type)).toEqual(['book_level_changed', 'order_cancelled']);
    expect(engine.cancelByClientOrderId('bob', 's-1')?.orderId).toBe(sell.orderId);
    expect(ledger.balance('bob', 'USDT')).toEqual({ free: bn(100_000), locked: bn(0), total: bn(100_000) });
    expect(ledger.balance('bob', 'BTC')).toEqual({ free: bn(100), locked: bn(0), total: bn(100) });
    expect(engine.cancel(buy.orderId)).toBeUndefined(); // already done
    expect(engine.levels('bid')).toEqual([]);
    expect(engine.levels('ask')).toEqual([]);
    expect(engine.getOrderByClientOrderId('bob', 'b-1')?.status).toBe('cancelled');
  });

  it('rejects on insufficient balance and on a duplicate open client order id', () => {
    const { engine, ledger } = setup();
    const big = engine.place({ account: 'bob', side: 'buy', type: 'limit', price: '100', amount: '1001' });
    expect(big.status).toBe('rejected');
    expect(big.rejectReason).toBe('insufficient_balance');
    expect(ledger.balance('bob', 'USDT').locked.toFixed()).toBe('0');

    engine.place({
      account: 'bob',
      side: 'buy',
      type: 'limit',
      price: '90',
      amount: '1',
      clientOrderId: 'x',
    });
    const dup = engine.place({
      account: 'bob',
      side: 'buy',
      type: 'limit',
      price: '91',
      amount: '1',
      clientOrderId: 'x',
    });
    expect(dup.rejectReason).toBe('duplicate_client_order_id');
    // Another account may use the same client id.
    expect(
      engine.place({
        account: 'carol',
        side: 'buy',
        type: 'limit',
        price: '91',
        amount: '1',
        clientOrderId: 'x',
      }).status,
    ).toBe('new');
    expect(engine.openOrders('bob')).toHaveLength(1);
    expect(engine.openOrders()).toHaveLength(2);
  });

  it('throws invalid_order for malformed requests', () => {
    const { engine } = setup();
    const bad = [
      { account: 'a', side: 'buy', type: 'limit', amount: '1' },
      { account: 'a', side: 'buy', type: 'limit', price: '0', amount: '1' },
      { account: 'a', side: 'buy', type: 'limit', price: '1', amount: '-1' },
      { account: 'a', side: 'buy', type: 'market' },
      { account: 'a', side: 'buy', type: 'market', amount: '1', quoteAmount: '1' },
      {
        account: 'a',
        side: 'buy',
        type: 'limit',
        price: '1',
        amount: '1',
        postOnly: true,
        timeInForce: 'IOC',
      },
    ] as const;
    for (const req of bad) {
      expect(() => engine.place(req)).toThrow(HbError);
    }
  });

  // The Binance soak lost fills because the engine forgot every account's finished
  // orders and trades after 10,000 of anyone's: under market activity our filled
  // order was gone seconds later, so a lookup after a lost placement answer said
  // "not found" (the connector failed an order that had filled) and myTrades had
  // no rows for an order that was FILLED. Exchanges keep an account's history.
  it("keeps each account's finished orders and trades whatever other accounts do", () => {
    const { engine } = setup({ retainClosedOrders: 5, retainTrades: 5 });
    const ours = engine.place({
      account: 'alice',
      clientOrderId: 'ours-1',
      side: 'sell',
      type: 'limit',
      price: '100',
      amount: '1',
    });
    engine.place({
      account: 'bob',
      side: 'buy',
      type: 'limit',
      price: '100',
      amount: '1',
      timeInForce: 'IOC',
    });
    expect(engine.getOrder(ours.orderId)?.status).toBe('filled');
    // Other traders finish and trade far more than the retention between them.
    for (let i = 0; i < 40; i++) {
      engine.place({ account: 'carol', side: 'sell', type: 'limit', price: '101', amount: '1' });
      engine.place({
        account: 'dave',
        side: 'buy',
        type: 'limit',
        price: '101',
        amount: '1',
        timeInForce: 'IOC',
      });
    }
    expect(engine.recentTrades()).toHaveLength(5);
    expect(engine.getOrderByClientOrderId('alice', 'ours-1')?.status).toBe('filled');
    expect(
      engine.accountTrades('alice', { orderId: ours.orderId }).map((t) => t.trade.amount.toFixed()),
    ).toEqual(['1']);
    // An account's own history is bounded by the same numbers, oldest first.
    expect(engine.accountTrades('carol')).toHaveLength(5);
    const carolFirst = engine.accountTrades('carol')[0]!;
    expect(engine.getOrder(carolFirst.orderId)?.status).toBe('filled');
    for (let i = 0; i < 6; i++) {
      engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '102', amount: '1' });
      engine.place({
        account: 'bob',
        side: 'buy',
        type: 'limit',
        price: '102',
        amount: '1',
        timeInForce: 'IOC',
      });
    }
    expect(engine.getOrderByClientOrderId('alice', 'ours-1')).toBeUndefined();
    expect(engine.accountTrades('alice', { orderId: ours.orderId })).toEqual([]);
  });

  describe('self-trade prevention', () => {
    it('expires the resting order by default and keeps matching', () => {
      const { engine, ledger } = setup();
      const own = engine.place({ account: 'bob', side: 'sell', type: 'limit', price: '100', amount: '1' });
      const other = engine.place({
        account: 'alice',
        side: 'sell',
        type: 'limit',
        price: '100',
        amount: '1',
      });
      const t = engine.place({ account: 'bob', side: 'buy', type: 'limit', price: '100', amount: '1' });
      expect(engine.getOrder(own.orderId)?.status).toBe('expired');
      expect(engine.getOrder(own.orderId)?.expireReason).toBe('self_trade_prevention');
      expect(t.status).toBe('filled');
      expect(engine.recentTrades()[0]?.makerOrderId).toBe(other.orderId);
      expect(ledger.balance('bob', 'BTC').locked.toFixed()).toBe('0');
      ledger.assertInvariants();
    });

    it('expire_taker leaves the resting order and expires the taker', () => {
      const { engine } = setup({ selfTradePrevention: 'expire_taker' });
      const own = engine.place({ account: 'bob', side: 'sell', type: 'limit', price: '100', amount: '1' });
      const t = engine.place({ account: 'bob', side: 'buy', type: 'limit', price: '100', amount: '1' });
      expect(t.status).toBe('expired');
      expect(t.expireReason).toBe('self_trade_prevention');
      expect(engine.getOrder(own.orderId)?.status).toBe('new');
      expect(engine.levels('ask')).toEqual([['100', '1']]);
    });

    it('none lets an account trade with itself', () => {
      const { engine, ledger } = setup({}, true);
      engine.place({ account: 'bob', side: 'sell', type: 'limit', price: '100', amount: '1' });
      engine.place({
        account: 'bob',
        side: 'buy',
        type: 'limit',
        price: '100',
        amount: '1',
        selfTradePrevention: 'none',
      });
      expect(engine.recentTrades()).toHaveLength(1);
      expect(ledger.balance('bob', 'BTC').total.toFixed()).toBe('100');
      expect(engine.accountTrades('bob').map((t) => t.side)).toEqual(['sell', 'buy']);
    });
  });

  it('numbers events and level changes consecutively and stamps them with the clock', () => {
    const { engine, events, clock } = setup({}, false);
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '100', amount: '1' });
    clock.advance(5);
    engine.place({ account: 'bob', side: 'buy', type: 'limit', price: '100', amount: '0.4' });
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    const levels = events.filter((e) => e.type === 'book_level_changed');
    expect(
      levels.map((e) => (e.type === 'book_level_changed' ? [e.bookSequence, e.side, e.price, e.amount] : [])),
    ).toEqual([
      [1, 'ask', '100', '1'],
      [2, 'ask', '100', '0.6'],
    ]);
    expect(engine.snapshot().bookSequence).toBe(2);
    expect(engine.recentTrades()[0]?.timestamp).toBe(1_700_000_000_005);
  });

  it('delivers events after the call, so a listener can call the engine again', () => {
    const { engine } = setup({}, false);
    const seen: string[] = [];
    engine.events$.subscribe((e) => {
      seen.push(`${e.sequence}:${e.type}`);
      if (e.type === 'trade' && e.trade.tradeId === 1) {
        // Re-entrant call while events are being delivered.
        engine.place({ account: 'carol', side: 'sell', type: 'limit', price: '105', amount: '1' });
      }
    });
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '100', amount: '1' });
    engine.place({ account: 'bob', side: 'buy', type: 'limit', price: '100', amount: '1' });
    const seqs = seen.map((s) => Number(s.split(':')[0]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(engine.levels('ask')).toEqual([['105', '1']]);
  });

  it('exposes the order-level book in price-time order', () => {
    const { engine } = setup({ orderIdFactory: (n) => `o-${n}` }, false);
    engine.place({ account: 'a', side: 'buy', type: 'limit', price: '99', amount: '1' });
    engine.place({ account: 'b', side: 'buy', type: 'limit', price: '100', amount: '2' });
    engine.place({ account: 'c', side: 'buy', type: 'limit', price: '99', amount: '3' });
    expect(
      engine.bookOrders('bid').map((o) => [o.orderId, o.price.toFixed(), o.remaining.toFixed()]),
    ).toEqual([
      ['o-2', '100', '2'],
      ['o-1', '99', '1'],
      ['o-3', '99', '3'],
    ]);
    expect(engine.levelsAsNumbers('bid', 1)).toEqual([[100, 2]]);
    expect(engine.bestBid()?.toFixed()).toBe('100');
    expect(engine.bestAsk()).toBeUndefined();
  });
});
