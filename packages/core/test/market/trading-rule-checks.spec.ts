import BigNumber from 'bignumber.js';
import { OrderRuleError, type BrokenRule } from '../../src/errors/hb-error.js';
import {
  checkOrder,
  makeTradingRule,
  quantizeOrderAmount,
  quantizeOrderPrice,
  type OrderToCheck,
} from '../../src/market/trading-rule-checks.js';
import type { TradingRule } from '../../src/market/trading-rule.js';

const bn = (v: BigNumber.Value): BigNumber => new BigNumber(v);

/** A Binance-like BTC-USDT rule: min size 0.001 but a size step of 0.00001. */
const rule: TradingRule = makeTradingRule({
  tradingPair: 'BTC-USDT',
  minOrderSize: bn('0.001'),
  maxOrderSize: bn('9000'),
  minBaseAmountIncrement: bn('0.00001'),
  minPriceIncrement: bn('0.01'),
  minPrice: bn('0.01'),
  maxPrice: bn('1000000'),
  minNotional: bn('10'),
  minNotionalAppliesToMarket: true,
  supportedOrderTypes: new Set(['limit', 'market']),
});

const good: OrderToCheck = {
  tradingPair: 'BTC-USDT',
  side: 'buy',
  orderType: 'limit',
  amount: bn('0.01'),
  price: bn('30000'),
};

describe('makeTradingRule', () => {
  it('defaults to no limits', () => {
    const r = makeTradingRule({ tradingPair: 'A-B' });
    expect(r.minOrderSize.isZero()).toBe(true);
    expect(r.maxOrderSize.toFixed()).toBe('Infinity');
    expect(r.maxPrice.toFixed()).toBe('Infinity');
    expect(r.minNotional.isZero()).toBe(true);
    expect([...r.supportedOrderTypes].sort()).toEqual(['limit', 'limit_maker', 'market']);
    expect(r.tradingEnabled).toBe(true);
    expect(
      checkOrder(r, {
        tradingPair: 'A-B',
        side: 'sell',
        orderType: 'limit',
        amount: bn('0.123456789'),
        price: bn('1.23456789'),
      }),
    ).toBeUndefined();
  });
});

describe('quantizeOrderAmount', () => {
  it('floors to the size step, not to the minimum size ("size is too accurate")', () => {
    // Quantizing by the min size (0.001) would give 0.012; the exchange's grid is 0.00001.
    expect(quantizeOrderAmount(rule, bn('0.0123456')).toFixed()).toBe('0.01234');
    expect(checkOrder(rule, { ...good, amount: quantizeOrderAmount(rule, bn('0.0123456')) })).toBeUndefined();
  });

  it('floors, never rounds up', () => {
    expect(quantizeOrderAmount(rule, bn('0.0019999999')).toFixed()).toBe('0.00199');
  });

  it('leaves an amount already on the grid alone', () => {
    expect(quantizeOrderAmount(rule, bn('1.5')).toFixed()).toBe('1.5');
  });

  it('returns 0 below the minimum order size', () => {
    expect(quantizeOrderAmount(rule, bn('0.00099')).toFixed()).toBe('0');
  });

  it('returns 0 for non-positive or NaN amounts', () => {
    expect(quantizeOrderAmount(rule, bn(-1)).isZero()).toBe(true);
    expect(quantizeOrderAmount(rule, bn(NaN)).isZero()).toBe(true);
  });

  it('works with steps that are not powers of ten', () => {
    const r = makeTradingRule({ tradingPair: 'X-Y', minBaseAmountIncrement: bn('0.3') });
    expect(quantizeOrderAmount(r, bn('1')).toFixed()).toBe('0.9');
  });

  it('keeps the amount when there is no step', () => {
    expect(quantizeOrderAmount(makeTradingRule({ tradingPair: 'X-Y' }), bn('0.123456789123')).toFixed()).toBe(
      '0.123456789123',
    );
  });
});

describe('quantizeOrderPrice', () => {
  it('rounds to the nearest tick by default (halves up)', () => {
    expect(quantizeOrderPrice(rule, bn('100.004')).toFixed()).toBe('100');
    expect(quantizeOrderPrice(rule, bn('100.005')).toFixed()).toBe('100.01');
    expect(quantizeOrderPrice(rule, bn('100.0149')).toFixed()).toBe('100.01');
  });

  it('never rounds to a more aggressive price when the side is given', () => {
    expect(quantizeOrderPrice(rule, bn('100.019'), 'buy').toFixed()).toBe('100.01');
    expect(quantizeOrderPrice(rule, bn('100.011'), 'sell').toFixed()).toBe('100.02');
  });

  it('leaves on-tick prices, NaN prices and tickless rules alone', () => {
    expect(quantizeOrderPrice(rule, bn('100.01'), 'sell').toFixed()).toBe('100.01');
    expect(quantizeOrderPrice(rule, bn(NaN)).isNaN()).toBe(true);
    expect(quantizeOrderPrice(makeTradingRule({ tradingPair: 'X-Y' }), bn('1.23456')).toFixed()).toBe(
      '1.23456',
    );
  });

  it('is exact with odd ticks', () => {
    const r = makeTradingRule({ tradingPair: 'X-Y', minPriceIncrement: bn('0.05') });
    expect(quantizeOrderPrice(r, bn('0.17')).toFixed()).toBe('0.15');
    expect(quantizeOrderPrice(r, bn('0.175')).toFixed()).toBe('0.2');
  });
});

describe('checkOrder', () => {
  it('passes a valid order', () => {
    expect(checkOrder(rule, good)).toBeUndefined();
  });

  const cases: [string, TradingRule | undefined, Partial<OrderToCheck>, BrokenRule, string][] = [
    ['an unknown pair', undefined, {}, 'unknown_pair', 'no trading rule for BTC-USDT'],
    [
      'a disabled pair',
      { ...rule, tradingEnabled: false },
      {},
      'trading_disabled',
      'trading is disabled for BTC-USDT',
    ],
    [
      'an unsupported type',
      rule,
      { orderType: 'limit_maker' },
      'order_type',
      'limit_maker orders are not accepted for BTC-USDT (accepted: limit, market)',
    ],
    [
      'a limit order without price',
      rule,
      { price: undefined },
      'missing_price',
      'a limit order needs a positive price for BTC-USDT (got none)',
    ],
    ['a NaN limit price', rule, { price: bn(NaN) }, 'missing_price', '(got NaN)'],
    [
      'a zero amount',
      rule,
      { amount: bn(0) },
      'min_order_size',
      'amount 0 is not a positive number for BTC-USDT',
    ],
    [
      'a small amount',
      rule,
      { amount: bn('0.0001') },
      'min_order_size',
      'amount 0.0001 is below the minimum order size 0.001 for BTC-USDT',
    ],
    [
      'a large amount',
      rule,
      { amount: bn('9000.5') },
      'max_order_size',
      'amount 9000.5 is above the maximum order size 9000 for BTC-USDT',
    ],
    [
      'a too accurate amount',
      rule,
      { amount: bn('0.012345') },
      'size_increment',
      'amount 0.012345 is not a multiple of the size step 0.00001 for BTC-USDT',
    ],
    [
      'an off-tick price',
      rule,
      { price: bn('30000.001') },
      'price_tick',
      'price 30000.001 is not a multiple of the price tick 0.01 for BTC-USDT',
    ],
    [
      'a low price',
      { ...rule, minPrice: bn('1') },
      { price: bn('0.5'), amount: bn('100') },
      'min_price',
      'price 0.5 is below the minimum price 1 for BTC-USDT',
    ],
    [
      'a high price',
      rule,
      { price: bn('1000000.01') },
      'max_price',
      'price 1000000.01 is above the maximum price 1000000 for BTC-USDT',
    ],
    [
      'a small notional',
      rule,
      { amount: bn('0.001'), price: bn('9999.99') },
      'min_notional',
      'notional 9.99999 (price 9999.99 x amount 0.001) is below the minimum notional 10 for BTC-USDT',
    ],
    [
      'a small market notional at a reference price',
      rule,
      { orderType: 'market', amount: bn('0.001'), price: bn('5000') },
      'min_notional',
      'notional 5 (price 5000 x amount 0.001)',
    ],
  ];

  it.each(cases)('refuses %s', (_name, r, change, broken, text) => {
    const e = checkOrder(r, { ...good, ...change });
    expect(e).toBeInstanceOf(OrderRuleError);
    expect(e?.rule).toBe(broken);
    expect(e?.reason).toBe('invalid_order');
    expect(e?.retryable).toBe(false);
    expect(e?.message).toContain(text);
  });

  it('reports the first broken rule', () => {
    // Too small, off-grid and off-tick at once: the size minimum is reported.
    expect(checkOrder(rule, { ...good, amount: bn('0.0000123'), price: bn('1.001') })?.rule).toBe(
      'min_order_size',
    );
  });

  it('does not check price rules on market orders', () => {
    expect(checkOrder(rule, { ...good, orderType: 'market', price: bn('30000.0001') })).toBeUndefined();
  });

  it('skips min notional for market orders without a reference price, or when it does not apply to them', () => {
    expect(
      checkOrder(rule, { ...good, orderType: 'market', amount: bn('0.001'), price: undefined }),
    ).toBeUndefined();
    const lax = { ...rule, minNotionalAppliesToMarket: false };
    expect(
      checkOrder(lax, { ...good, orderType: 'market', amount: bn('0.001'), price: bn('5000') }),
    ).toBeUndefined();
    expect(checkOrder(lax, { ...good, amount: bn('0.001'), price: bn('5000') })?.rule).toBe('min_notional');
  });

  it('writes tiny values in plain decimals', () => {
    const r = makeTradingRule({ tradingPair: 'SHIB-USDT', minOrderSize: bn('0.00000001') });
    expect(checkOrder(r, { ...good, tradingPair: 'SHIB-USDT', amount: bn('0.000000001') })?.message).toBe(
      'amount 0.000000001 is below the minimum order size 0.00000001 for SHIB-USDT',
    );
  });
});
