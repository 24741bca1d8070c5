import BigNumber from 'bignumber.js';
import { SimClock } from '../../src/clock/sim-clock.js';
import { BalanceLedger } from '../../src/engine/balance-ledger.js';
import type { EngineEvent } from '../../src/engine/engine-types.js';
import { FeeSchedule } from '../../src/engine/fee-schedule.js';
import { MatchingEngine } from '../../src/engine/matching-engine.js';

// Coinbase's default self-trade prevention `dc` (decrease and cancel): the smaller
// order is cancelled, the larger decremented by the smaller's size.
function setup() {
  const ledger = new BalanceLedger();
  const engine = new MatchingEngine({
    pair: 'BTC-USD',
    baseAsset: 'BTC',
    quoteAsset: 'USD',
    clock: new SimClock({ startMs: 1_700_000_000_000 }),
    ledger,
    fees: new FeeSchedule({ maker: '0.004', taker: '0.006' }),
    feeAssetPolicy: 'quote',
    selfTradePrevention: 'decrement_and_cancel',
  });
  const events: EngineEvent[] = [];
  engine.events$.subscribe((e) => events.push(e));
  for (const a of ['alice', 'bob']) {
    ledger.deposit(a, 'BTC', 10);
    ledger.deposit(a, 'USD', 100_000);
  }
  return { engine, ledger, events };
}

const types = (events: EngineEvent[]): string[] => events.map((e) => e.type);

describe('MatchingEngine self-trade prevention decrement_and_cancel', () => {
  it('a smaller taker is cancelled and the resting order decremented in place', () => {
    const { engine, ledger, events } = setup();
    const own = engine.place({ account: 'bob', side: 'sell', type: 'limit', price: '100', amount: '3' });
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '100', amount: '1' });
    events.length = 0;
    const t = engine.place({ account: 'bob', side: 'buy', type: 'limit', price: '100', amount: '1' });

    expect(t.status).toBe('expired');
    expect(t.expireReason).toBe('self_trade_prevention');
    const changed = events.find((e) => e.type === 'order_changed');
    expect(changed).toMatchObject({ order: { orderId: own.orderId } });
    if (changed?.type !== 'order_changed') throw new Error('no change');
    expect([changed.oldRemaining.toFixed(), changed.newRemaining.toFixed()]).toEqual(['3', '2']);
    expect(types(events)).toEqual(['order_accepted', 'order_changed', 'book_level_changed', 'order_expired']);
    // Still first in the queue at 100, with 2 left.
    expect(engine.bookOrders('ask').map((o) => [o.orderId, o.remaining.toFixed()])[0]).toEqual([
      own.orderId,
      '2',
    ]);
    expect(engine.levels('ask')).toEqual([['100', '3']]);
    expect(engine.recentTrades()).toHaveLength(0);
    expect(ledger.balance('bob', 'BTC').locked.toFixed()).toBe('2');
    expect(ledger.balance('bob', 'USD').locked.toFixed()).toBe('0');
    ledger.assertInvariants();
  });

  it('a larger taker cancels the resting order, is decremented and keeps matching', () => {
    const { engine, ledger, events } = setup();
    const own = engine.place({ account: 'bob', side: 'sell', type: 'limit', price: '100', amount: '1' });
    const other = engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '100', amount: '1' });
    events.length = 0;
    const t = engine.place({ account: 'bob', side: 'buy', type: 'limit', price: '100', amount: '3' });

    expect(engine.getOrder(own.orderId)?.status).toBe('expired');
    expect(types(events).slice(0, 4)).toEqual([
      'order_accepted',
      'book_level_changed',
      'order_expired',
      'order_changed',
    ]);
    const changed = events.find((e) => e.type === 'order_changed');
    if (changed?.type !== 'order_changed') throw new Error('no change');
    expect(changed.order.orderId).toBe(t.orderId);
    expect(changed.newRemaining.toFixed()).toBe('2');
    // 1 traded with alice, the last 1 rests.
    expect(engine.recentTrades().map((x) => x.makerOrderId)).toEqual([other.orderId]);
    expect(t.status).toBe('partially_filled');
    expect(engine.levels('bid')).toEqual([['100', '1']]);
    // Hold: 1 x 100 x (1 + 0.006) for the resting remainder, nothing more.
    expect(ledger.balance('bob', 'USD').locked.toFixed()).toBe('100.6');
    ledger.assertInvariants();
  });

  it('equal sizes cancel both', () => {
    const { engine, ledger } = setup();
    const own = engine.place({ account: 'bob', side: 'buy', type: 'limit', price: '100', amount: '1' });
    const t = engine.place({ account: 'bob', side: 'sell', type: 'limit', price: '100', amount: '1' });
    expect(engine.getOrder(own.orderId)?.status).toBe('expired');
    expect(t.status).toBe('expired');
    expect(engine.levels('bid')).toEqual([]);
    expect(ledger.balance('bob', 'USD').locked.toFixed()).toBe('0');
    ledger.assertInvariants();
  });

  it('a market order by funds cancels the resting order and trades on', () => {
    const { engine, ledger } = setup();
    const own = engine.place({ account: 'bob', side: 'sell', type: 'limit', price: '100', amount: '1' });
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '101', amount: '1' });
    const t = engine.place({ account: 'bob', side: 'buy', type: 'market', quoteAmount: '50' });
    expect(engine.getOrder(own.orderId)?.status).toBe('expired');
    expect(t.status).toBe('filled');
    expect(engine.recentTrades()[0]?.price.toFixed()).toBe('101');
    ledger.assertInvariants();
  });

  it('a market order by size holds only what it can trade after the decrement', () => {
    const { engine, ledger } = setup();
    engine.place({ account: 'bob', side: 'sell', type: 'limit', price: '100', amount: '1' });
    engine.place({ account: 'alice', side: 'sell', type: 'limit', price: '101', amount: '5' });
    const t = engine.place({ account: 'bob', side: 'buy', type: 'market', amount: '2' });
    expect(t.filledAmount.toFixed()).toBe('1');
    expect(t.filledQuote.toFixed()).toBe('101');
    expect(ledger.balance('bob', 'USD').locked.toFixed()).toBe('0');
    expect(new BigNumber(100_000).minus(ledger.balance('bob', 'USD').total).toFixed()).toBe('101.606');
    ledger.assertInvariants();
  });
});
