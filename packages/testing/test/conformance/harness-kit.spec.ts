import { afterEach, describe, expect, it } from '@jest/globals';
import BigNumber from 'bignumber.js';
import type { ConnectorCapabilities, Market } from '@hb/core';
import { BalanceLedger } from '../../src/engine/balance-ledger.js';
import { MatchingEngine } from '../../src/engine/matching-engine.js';
import {
  BookMarker,
  MARKER_ACCOUNT,
  insideSpread,
  restingOrderBy,
  restingPriceInside,
  simulatorConformanceHarness,
  stepActivityPerTurn,
  takeFromOurOrder,
  type MarketFaultContext,
  type SimulatorHarnessSpec,
} from '../../src/conformance/harness-kit.js';
import { ToySimulator } from '../helpers/toy-simulator.js';

let sims: ToySimulator[] = [];

async function toy(): Promise<ToySimulator> {
  const sim = await ToySimulator.start({ demoAccount: true });
  sims.push(sim);
  return sim;
}

afterEach(async () => {
  await Promise.all(sims.map((s) => s.stop()));
  sims = [];
});

function engineWith(orders: [side: 'buy' | 'sell', price: string][]): MatchingEngine {
  const ledger = new BalanceLedger();
  const engine = new MatchingEngine({ pair: 'X', baseAsset: 'B', quoteAsset: 'Q', ledger });
  ledger.deposit('mm', 'B', 100);
  ledger.deposit('mm', 'Q', 100_000);
  for (const [side, price] of orders) engine.place({ account: 'mm', side, type: 'limit', price, amount: 1 });
  return engine;
}

describe('restingPriceInside', () => {
  it('is one tick inside the spread on our side', () => {
    const e = engineWith([
      ['buy', '99'],
      ['sell', '101'],
    ]);
    expect(restingPriceInside(e, 'buy', '0.5', '100').toString()).toBe('99.5');
    expect(restingPriceInside(e, 'sell', '0.5', '100').toString()).toBe('100.5');
  });

  it('joins the best price when the spread is one tick', () => {
    const e = engineWith([
      ['buy', '99.5'],
      ['sell', '100'],
    ]);
    expect(restingPriceInside(e, 'buy', '0.5', '100').toString()).toBe('99.5');
    expect(restingPriceInside(e, 'sell', '0.5', '100').toString()).toBe('100');
  });

  it('uses mid on an empty book and one tick off the other side on a one-sided book', () => {
    expect(restingPriceInside(engineWith([]), 'buy', '0.5', '100').toString()).toBe('100');
    const asksOnly = engineWith([['sell', '101']]);
    expect(restingPriceInside(asksOnly, 'buy', '0.5', '100').toString()).toBe('100.5');
    expect(restingPriceInside(asksOnly, 'sell', '0.5', '100').toString()).toBe('100.5');
    const bidsOnly = engineWith([['buy', '99']]);
    expect(restingPriceInside(bidsOnly, 'sell', '0.5', '100').toString()).toBe('99.5');
  });
});

describe('insideSpread and restingOrderBy', () => {
  it('rests funded orders of another trader and finds a price strictly inside', async () => {
    const sim = await toy();
    const bidId = await restingOrderBy(sim, 'BTC-USD', 'buy', '98', '0.1');
    await restingOrderBy(sim, 'BTC-USD', 'sell', '102', '0.1', 'someone-else');
    expect(sim.engine('BTC-USD').getOrder(bidId)?.account).toBe('sim-test-maker');
    expect(sim.trueBook('BTC-USD')).toEqual({ bids: [[98, 0.1]], asks: [[102, 0.1]] });
    expect(insideSpread(sim, 'BTC-USD', 'buy').toString()).toBe('98.5');
    expect(insideSpread(sim, 'BTC-USD', 'sell').toString()).toBe('101.5');
  });

  it('refuses a one-tick spread and a one-sided book', async () => {
    const sim = await toy();
    await restingOrderBy(sim, 'BTC-USD', 'buy', '99.5', '0.1');
    expect(() => insideSpread(sim, 'BTC-USD', 'buy')).toThrow('needs both sides');
    await restingOrderBy(sim, 'BTC-USD', 'sell', '100', '0.1');
    expect(() => insideSpread(sim, 'BTC-USD', 'sell')).toThrow('spread is one tick');
  });
});

describe('takeFromOurOrder', () => {
  it('also takes what rests ahead of our order, so our order fills', async () => {
    const sim = await toy();
    await restingOrderBy(sim, 'BTC-USD', 'buy', '99', '0.05');
    await restingOrderBy(sim, 'BTC-USD', 'buy', '99.5', '0.01');
    sim.engine('BTC-USD').place({
      account: 'toy-demo',
      side: 'buy',
      type: 'limit',
      price: '99',
      amount: '0.04',
      clientOrderId: 'ours',
    });
    await restingOrderBy(sim, 'BTC-USD', 'buy', '99', '0.07'); // behind us: untouched
    const taker = takeFromOurOrder(sim, 'toy-demo', 'BTC-USD', 'buy', '99', '0.03');
    expect(taker.filledAmount.toString()).toBe('0.09');
    expect(sim.ledgerFilledAmount('toy-demo', 'ours').toString()).toBe('0.03');
    expect(sim.trueBook('BTC-USD').bids).toEqual([[99, 0.08]]);
  });

  it('takes just `amount` when our order is first in line', async () => {
    const sim = await toy();
    sim.engine('BTC-USD').place({
      account: 'toy-demo',
      side: 'sell',
      type: 'limit',
      price: '101',
      amount: '0.05',
      clientOrderId: 'ours',
    });
    await restingOrderBy(sim, 'BTC-USD', 'sell', '101', '0.05');
    takeFromOurOrder(sim, 'toy-demo', 'BTC-USD', 'sell', '101', '0.02');
    expect(sim.ledgerFilledAmount('toy-demo', 'ours').toString()).toBe('0.02');
    expect(sim.trueBook('BTC-USD').asks).toEqual([[101, 0.08]]);
  });
});

describe('stepActivityPerTurn', () => {
  it('runs one step per turn of the event loop', async () => {
    const seen: string[] = [];
    const activity = {
      step(): void {
        seen.push('step');
        setImmediate(() => seen.push('turn'));
      },
    };
    await stepActivityPerTurn(activity, 3);
    expect(seen).toEqual(['step', 'turn', 'step', 'turn', 'step', 'turn']);
  });
});

describe('BookMarker', () => {
  it('rests three activity steps several ticks below the activity, always on the same level', async () => {
    const sim = await toy();
    sim.activity(2).step(100);
    const bestBid = sim.engine('BTC-USD').bestBid() ?? new BigNumber(100);
    const marker = new BookMarker(sim, 'BTC-USD', { levels: 4 });
    const first = await marker.place();
    const expected = BigNumber.min(bestBid, 100).minus(0.5 * 10);
    expect(first.price?.toString()).toBe(expected.toString());
    expect(first.amount?.toString()).toBe('0.03');
    expect(first.account).toBe(MARKER_ACCOUNT);
    sim.activity(3).step(20);
    const second = await marker.place();
    expect(second.price?.toString()).toBe(expected.toString());
  });

  it('placeAndCancel leaves the book as it was', async () => {
    const sim = await toy();
    sim.activity(2).step(100);
    const before = sim.trueBook('BTC-USD');
    await new BookMarker(sim, 'BTC-USD', { size: '0.005' }).placeAndCancel();
    expect(sim.trueBook('BTC-USD')).toEqual(before);
  });
});

// ------------------------------------------------------------------ the generic harness

interface FakeOptions {
  readonly restUrl: string;
  readonly pair: string;
  readonly tag: string;
}

/** Only what the harness itself calls; the suite's checks are not run here. */
type FakeMarket = Market & { readonly options: FakeOptions; readonly calls: string[] };

function fakeMarket(options: FakeOptions): FakeMarket {
  const calls: string[] = [];
  const partial = {
    options,
    calls,
    start: async () => void calls.push('start'),
    waitUntilReady: async () => void calls.push('ready'),
    stop: async () => void calls.push('stop'),
  };
  return partial as unknown as FakeMarket;
}

const TOY_CAPABILITIES: ConnectorCapabilities = {
  orderTypes: ['limit'],
  orderBook: 'l2',
  sequencedBook: true,
  userStream: true,
  cancelAll: 'emulated',
  lookupByClientOrderId: true,
  reportsFillFees: true,
};

function toySpec(seen: {
  seeds: number[];
  contexts: MarketFaultContext<ToySimulator>[];
  sims: ToySimulator[];
}): SimulatorHarnessSpec<ToySimulator, FakeOptions, FakeMarket> {
  return {
    name: 'toy',
    tradingPair: 'BTC-USD',
    capabilities: TOY_CAPABILITIES,
    async startSimulator(seed) {
      seen.seeds.push(seed);
      const sim = await toy();
      seen.sims.push(sim);
      return sim;
    },
    marketOptions: (sim, pair) => ({ restUrl: sim.restUrl, pair, tag: 'default' }),
    createMarket: fakeMarket,
    marketFaults(context) {
      seen.contexts.push(context);
      return { skipSequence: () => context.marker.place().then(() => undefined) };
    },
  };
}

describe('simulatorConformanceHarness', () => {
  it('starts a warmed-up simulator and a ready market, and wires the environment to it', async () => {
    const seen = {
      seeds: [] as number[],
      contexts: [] as MarketFaultContext<ToySimulator>[],
      sims: [] as ToySimulator[],
    };
    const harness = simulatorConformanceHarness(toySpec(seen), { seed: 9, market: { tag: 'mine' } });
    expect(harness.name).toBe('toy');
    expect(harness.capabilities).toBe(TOY_CAPABILITIES);

    const env = await harness.setup();
    const sim = env.simulator;
    expect(seen.seeds).toEqual([9]);
    expect(env.tradingPair).toBe('BTC-USD');
    expect(env.marketOptions).toEqual({ restUrl: sim.restUrl, pair: 'BTC-USD', tag: 'mine' });
    expect(env.market.options).toBe(env.marketOptions);
    expect(env.market.calls).toEqual(['start', 'ready']);
    const warm = sim.trueBook('BTC-USD', 20);
    expect(warm.bids.length + warm.asks.length).toBeGreaterThan(0);
    expect(env.trueBook(20)).toEqual(warm);

    await env.runActivity(10);
    expect(env.trueBook(20)).toEqual(sim.trueBook('BTC-USD', 20));
    const bid = env.restingPrice('buy');
    const best = sim.engine('BTC-USD').bestBid();
    expect(best === undefined || bid.gte(best)).toBe(true);

    sim.engine('BTC-USD').place({
      account: 'toy-demo',
      side: 'buy',
      type: 'limit',
      price: bid,
      amount: '0.02',
      clientOrderId: 'c1',
    });
    await env.takeFromUs('buy', bid, new BigNumber('0.02'));
    expect(env.ledgerFilledAmount('c1').toString()).toBe('0.02');
    expect(env.orderRequestCount()).toBe(0);

    expect(seen.contexts[0]?.tradingPair).toBe('BTC-USD');
    expect(seen.contexts[0]?.sim).toBe(sim);
    await env.faults.skipSequence?.();
    expect(sim.trueBook('BTC-USD', 50).bids.some(([, a]) => a === 0.03)).toBe(true);

    await env.faults.dropMarketSocket?.();
    expect(sim.drops.market).toBe(1);
    let during: boolean | undefined;
    await env.faults.withUserStreamDown?.(async () => {
      during = sim.refusing.user;
    });
    expect(during).toBe(true);
    expect(sim.refusing.user).toBe(false);

    const second = env.createMarket() as FakeMarket;
    await env.teardown();
    expect(env.market.calls).toEqual(['start', 'ready', 'stop']);
    expect(second.calls).toEqual(['stop']);
    expect(sim.stoppedHooks).toBe(1);
  });

  it('takes the name, pair and market builder from the options', async () => {
    const seen = {
      seeds: [] as number[],
      contexts: [] as MarketFaultContext<ToySimulator>[],
      sims: [] as ToySimulator[],
    };
    const built: FakeOptions[] = [];
    const harness = simulatorConformanceHarness(toySpec(seen), {
      name: 'toy-broken',
      tradingPair: 'BTCUSD',
      warmupSteps: 0,
      createMarket: (o) => {
        built.push(o);
        return fakeMarket(o);
      },
    });
    expect(harness.name).toBe('toy-broken');
    const env = await harness.setup();
    expect(built).toEqual([{ restUrl: env.simulator.restUrl, pair: 'BTCUSD', tag: 'default' }]);
    expect(env.trueBook(20)).toEqual({ bids: [], asks: [] });
    await env.teardown();
  });

  it('stops the simulator when setup fails', async () => {
    const seen = {
      seeds: [] as number[],
      contexts: [] as MarketFaultContext<ToySimulator>[],
      sims: [] as ToySimulator[],
    };
    const harness = simulatorConformanceHarness(toySpec(seen), { tradingPair: 'NOPE-USD' });
    await expect(harness.setup()).rejects.toThrow('unknown market NOPE-USD');
    expect(seen.sims[0]?.stoppedHooks).toBe(1);
  });
});
