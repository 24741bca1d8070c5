import BigNumber from 'bignumber.js';
import { MarketActivityGenerator } from '../../src/activity/market-activity.js';
import { SimClock } from '../../src/clock/sim-clock.js';
import { BalanceLedger } from '../../src/engine/balance-ledger.js';
import type { BookSide, EngineEvent } from '../../src/engine/engine-types.js';
import { FeeSchedule } from '../../src/engine/fee-schedule.js';
import { MatchingEngine } from '../../src/engine/matching-engine.js';

function world(seed: number, feeAssetPolicy: 'received' | 'quote' = 'received') {
  const clock = new SimClock({ startMs: 1_700_000_000_000 });
  const ledger = new BalanceLedger();
  const fees = new FeeSchedule({ maker: '0.001', taker: '0.002' });
  fees.set('trader-2', { maker: '0', taker: '0.00075' });
  const engine = new MatchingEngine({
    pair: 'ETH-USDT',
    baseAsset: 'ETH',
    quoteAsset: 'USDT',
    ledger,
    fees,
    clock,
    feeAssetPolicy,
  });
  const gen = new MarketActivityGenerator({
    engine,
    ledger,
    seed,
    midPrice: '2000.00',
    tickSize: '0.01',
    stepSize: '0.001',
    traders: 5,
    funding: { base: '5', quote: '10000' },
    rates: { place: 5, cancel: 2, cross: 2, market: 1 },
  });
  return { clock, ledger, engine, gen };
}

/** Runs the generator until it has sent at least `orders` orders. */
function runOrders(gen: MarketActivityGenerator, clock: SimClock, orders: number): void {
  while (gen.stats.orders < orders) {
    gen.step(1);
    clock.advance(1);
  }
}

describe('MarketActivityGenerator', () => {
  it.each(['received', 'quote'] as const)(
    'keeps the ledger conserved and holds exact over 2,000 seeded orders (fees in %s)',
    (policy) => {
      const { ledger, engine, gen, clock } = world(12345, policy);
      runOrders(gen, clock, 2000);

      // The run did exercise everything.
      expect(gen.stats.orders).toBeGreaterThanOrEqual(2000);
      expect(engine.recentTrades().length).toBeGreaterThan(100);
      expect(gen.stats.cancelled).toBeGreaterThan(50);
      expect(gen.stats.marketOrders).toBeGreaterThan(50);

      // Sum of each asset over accounts + fees collected == deposits.
      for (const asset of ['ETH', 'USDT']) {
        const held = gen.accounts.reduce((s, a) => s.plus(ledger.balance(a, asset).total), new BigNumber(0));
        expect(held.plus(ledger.feesCollected(asset)).toFixed()).toBe(ledger.totalDeposited(asset).toFixed());
      }
      expect(ledger.feesCollected('USDT').gt(0)).toBe(true);
      ledger.assertInvariants();

      // Every account's locked balance is exactly what its open orders hold.
      const holds = engine.holdsByAccount();
      for (const a of gen.accounts) {
        for (const asset of ['ETH', 'USDT']) {
          const expected = holds.get(a)?.get(asset) ?? new BigNumber(0);
          expect(`${a} ${asset} ${ledger.balance(a, asset).locked.toFixed()}`).toBe(
            `${a} ${asset} ${expected.toFixed()}`,
          );
        }
      }
    },
  );

  it('produces level-change events that rebuild the engine book exactly', () => {
    const { engine, gen, clock } = world(777);
    const book: Record<BookSide, Map<string, string>> = { bid: new Map(), ask: new Map() };
    let lastBookSeq = 0;
    let gaps = 0;
    engine.events$.subscribe((e: EngineEvent) => {
      if (e.type !== 'book_level_changed') return;
      if (e.bookSequence !== lastBookSeq + 1) gaps += 1;
      lastBookSeq = e.bookSequence;
      if (e.amount === '0') book[e.side].delete(e.price);
      else book[e.side].set(e.price, e.amount);
    });
    const replayed = (side: BookSide): [string, string][] =>
      [...book[side].entries()].sort((x, y) =>
        side === 'bid'
          ? (new BigNumber(y[0]).comparedTo(x[0]) ?? 0)
          : (new BigNumber(x[0]).comparedTo(y[0]) ?? 0),
      );
    for (let checkpoint = 0; checkpoint < 5; checkpoint++) {
      runOrders(gen, clock, (checkpoint + 1) * 300);
      expect(replayed('bid')).toEqual(engine.levels('bid'));
      expect(replayed('ask')).toEqual(engine.levels('ask'));
    }
    expect(gaps).toBe(0);
    expect(engine.snapshot().bookSequence).toBe(lastBookSeq);
    expect(engine.levels('bid').length).toBeGreaterThan(3);
    // Never crossed.
    const bid = engine.bestBid();
    const ask = engine.bestAsk();
    if (bid !== undefined && ask !== undefined) expect(bid.lt(ask)).toBe(true);
  });

  it('is deterministic for a seed', () => {
    const trades = (seed: number): string[] => {
      const { engine, gen, clock } = world(seed);
      runOrders(gen, clock, 400);
      return engine
        .recentTrades()
        .map((t) => `${t.tradeId}:${t.price.toFixed()}:${t.amount.toFixed()}:${t.takerSide}`);
    };
    const a = trades(99);
    expect(trades(99)).toEqual(a);
    expect(trades(100)).not.toEqual(a);
  });

  it('runs on a timer between start and stop', () => {
    jest.useFakeTimers();
    try {
      const { gen } = world(1);
      gen.start(100, 2);
      expect(gen.running).toBe(true);
      jest.advanceTimersByTime(1000);
      gen.stop();
      expect(gen.running).toBe(false);
      expect(gen.stats.steps).toBe(20);
      jest.advanceTimersByTime(1000);
      expect(gen.stats.steps).toBe(20);
    } finally {
      jest.useRealTimers();
    }
  });
});
