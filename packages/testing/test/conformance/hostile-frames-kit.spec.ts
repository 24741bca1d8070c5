import { describe, expect, it } from '@jest/globals';
import { HOSTILE_FILL_CASES, HOSTILE_MARKET_CASES } from '../../src/conformance/hostile-checks.js';
import {
  HOSTILE_FRAMING_CASES,
  HOSTILE_HUGE,
  hostileFillOverrides,
  hostileLevel,
  hostileTradeId,
  isHostileValueCase,
  simOrderOf,
} from '../../src/conformance/hostile-frames-kit.js';
import { simulatorMarketOptions, FAST_TEST_MARKET_OPTIONS } from '../../src/util/test-helpers.js';

/** A level value that a price or amount parser must refuse. */
function refused(v: unknown): boolean {
  if (typeof v !== 'string') return true;
  const n = Number(v);
  return v === '' || !Number.isFinite(n) || n <= 0;
}

describe('hostile values', () => {
  it('every market case is either a value case or a framing case', () => {
    const values = HOSTILE_MARKET_CASES.filter(isHostileValueCase);
    expect(values.length + HOSTILE_FRAMING_CASES.length).toBe(HOSTILE_MARKET_CASES.length);
    for (const c of HOSTILE_FRAMING_CASES) expect(isHostileValueCase(c)).toBe(false);
  });

  it('each value case puts exactly one refusable value in a level, next to a valid one', () => {
    for (const kind of HOSTILE_MARKET_CASES.filter(isHostileValueCase)) {
      const { price, amount } = hostileLevel(kind, '30000.00', 30000);
      const bad = [refused(price), refused(amount)].filter(Boolean).length;
      expect([kind, bad]).toEqual([kind, 1]);
    }
    expect(hostileLevel('huge_amount', '1.00', 1).amount).toBe(HOSTILE_HUGE);
    expect(Number(HOSTILE_HUGE)).toBe(Infinity);
  });

  it('fill overrides touch the named fields, keeping a cumulative amount in step with the fill', () => {
    const values = { amount: '0.5', price: '100', excess: '500', wrongTypeAmount: 0.5 };
    const withCum = { amount: 'l', cumulative: 'z', price: 'L' };
    expect(hostileFillOverrides('negative_amount', withCum, values)).toEqual({ l: '-0.5' });
    expect(hostileFillOverrides('huge_amount', withCum, values)).toEqual({
      l: HOSTILE_HUGE,
      z: HOSTILE_HUGE,
    });
    expect(hostileFillOverrides('excess', withCum, values)).toEqual({ l: '500', z: '500' });
    expect(hostileFillOverrides('negative_price', withCum, values)).toEqual({ L: '-100' });
    expect(hostileFillOverrides('nan', withCum, values)).toEqual({ l: 'NaN' });
    expect(hostileFillOverrides('wrong_type', withCum, values)).toEqual({ l: 0.5 });
    const plain = { amount: 'size', price: 'price' };
    for (const kind of HOSTILE_FILL_CASES) {
      const keys = Object.keys(hostileFillOverrides(kind, plain, values));
      expect(keys).toEqual([kind === 'negative_price' ? 'price' : 'size']);
    }
  });

  it('hostile trade ids never repeat', () => {
    const a = hostileTradeId();
    const b = hostileTradeId();
    expect(b).toBeGreaterThan(a);
    expect(a).toBeGreaterThan(900_000_000);
  });

  it('simOrderOf finds our order or says which one is missing', () => {
    const sim = {
      orderByClientOrderId: (key: string, id: string) => (key === 'k' && id === 'c1' ? { id } : undefined),
    };
    expect(simOrderOf(sim, 'k', 'c1')).toEqual({ id: 'c1' });
    expect(() => simOrderOf(sim, 'k', 'c2')).toThrow('no simulator order c2');
  });
});

describe('simulatorMarketOptions', () => {
  it("gives the simulator's endpoints, the demo key and the fast test timings", () => {
    const sim = { demoAccount: { apiKey: 'k', apiSecret: 's' }, restUrl: 'http://r', wsUrl: 'ws://w' };
    expect(simulatorMarketOptions(sim)).toEqual({
      apiKey: 'k',
      apiSecret: 's',
      restUrl: 'http://r',
      wsUrl: 'ws://w',
      ...FAST_TEST_MARKET_OPTIONS,
    });
    expect(() => simulatorMarketOptions({ ...sim, demoAccount: undefined })).toThrow(
      'without the demo account',
    );
  });
});
