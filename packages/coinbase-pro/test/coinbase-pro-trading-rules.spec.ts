import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainDecimals } from '@hb/testing';
import { describeDecoding, describeTradingRuleList } from '@hb/testing/suites';
import BigNumber from 'bignumber.js';
import { checkOrder, quantizeOrderAmount, quantizeOrderPrice } from '@hb/core/connector';
import { parseTradingRule, parseTradingRules } from '../src/coinbase-pro-trading-rules.js';

type Json = Record<string, unknown>;

function btcusd(changes: Json = {}): Json {
  const products = JSON.parse(
    readFileSync(join(__dirname, 'fixtures', 'http_get_products.json'), 'utf8'),
  ) as Json[];
  return { ...products[0], ...changes };
}

// The documented product and the rule it gives: test/expected/trading-rules.json.
describeDecoding(__dirname, 'trading-rules', {
  'the documented BTC-USD product': () => parseTradingRule(btcusd()),
});

describe('parseTradingRule', () => {
  it('reads the legacy base_min_size / base_max_size when a server still sends them', () => {
    const rule = plainDecimals(
      parseTradingRule(
        btcusd({ base_min_size: '0.00001000', base_max_size: '10000.00000000', max_market_funds: '1000000' }),
      ),
    );
    expect([rule['minOrderSize'], rule['maxOrderSize']]).toEqual(['0.00001', '10000']);
    expect(plainDecimals(parseTradingRule(btcusd({ base_max_size: '0' })))['maxOrderSize']).toBe('Infinity');
  });

  it.each([
    [{ trading_disabled: true }, false],
    [{ cancel_only: true }, false],
    [{ status: 'offline' }, false],
    [{ status: 'delisted' }, false],
    [{ status: 'online' }, true],
    [{ auction_mode: true }, true],
  ])('%j -> tradingEnabled %s', (changes, enabled) => {
    expect(parseTradingRule(btcusd(changes)).tradingEnabled).toBe(enabled);
  });

  it.each([
    [{ limit_only: true }, ['limit', 'limit_maker']],
    [{ post_only: true }, ['limit_maker']],
    [{ post_only: true, limit_only: true }, ['limit_maker']],
    [{}, ['limit', 'limit_maker', 'market']],
  ])('%j -> order types %j', (changes, types) => {
    expect([...parseTradingRule(btcusd(changes)).supportedOrderTypes].sort()).toEqual(types);
  });

  it('makes core refuse what the flags forbid, before anything is sent', () => {
    const order = {
      tradingPair: 'BTC-USD',
      side: 'buy' as const,
      amount: new BigNumber('0.001'),
      price: new BigNumber('25000'),
    };
    expect(
      checkOrder(parseTradingRule(btcusd({ limit_only: true })), { ...order, orderType: 'market' })?.rule,
    ).toBe('order_type');
    expect(
      checkOrder(parseTradingRule(btcusd({ post_only: true })), { ...order, orderType: 'limit' })?.rule,
    ).toBe('order_type');
    expect(
      checkOrder(parseTradingRule(btcusd({ cancel_only: true })), { ...order, orderType: 'limit' })?.rule,
    ).toBe('trading_disabled');
    // min_market_funds applies to limit orders too: 0.00001 x 25000 = 0.25 < 1 USD.
    expect(
      checkOrder(parseTradingRule(btcusd()), {
        ...order,
        orderType: 'limit',
        amount: new BigNumber('0.00001'),
      })?.rule,
    ).toBe('min_notional');
    expect(checkOrder(parseTradingRule(btcusd()), { ...order, orderType: 'limit' })).toBeUndefined();
  });

  it('quantizes by base_increment and quote_increment', () => {
    const rule = parseTradingRule(btcusd());
    expect(quantizeOrderAmount(rule, new BigNumber('0.123456789')).toFixed()).toBe('0.12345678');
    expect(quantizeOrderPrice(rule, new BigNumber('25000.006'), 'buy').toFixed()).toBe('25000');
  });

  it('takes the pair from the id, not base_currency (auction books)', () => {
    expect(parseTradingRule(btcusd({ id: 'BTCAUCTION-USD', base_currency: 'BTC' })).tradingPair).toBe(
      'BTCAUCTION-USD',
    );
  });

  it('refuses a product without increments', () => {
    const p = btcusd();
    delete p['quote_increment'];
    expect(() => parseTradingRule(p)).toThrow(/quote_increment/);
  });
});

describeTradingRuleList('coinbase-pro', {
  parse: parseTradingRules,
  body: [btcusd()],
  pairs: ['BTC-USD'],
  // A number where the product list has a decimal string.
  withUnreadableEntry: {
    body: [btcusd(), btcusd({ id: 'ETH-USD', base_increment: 1e-8 })],
    symbol: 'ETH-USD',
  },
  notTheList: { body: { message: 'NotFound' }, error: /not an array/ },
});
