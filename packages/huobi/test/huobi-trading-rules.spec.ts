// Trading rules from both reference-data shapes.
import { parseHuobiSymbols } from '../src/huobi-trading-rules.js';
import { fixture } from './fixture.js';

describe('reference data', () => {
  it('classic /v1/common/symbols: grids from precisions, limit-order min/max, min value, state', () => {
    const { rules, symbols } = parseHuobiSymbols(fixture('http_get_common_symbols.json'));
    expect(symbols).toEqual([
      { symbol: 'btcusdt', base: 'btc', quote: 'usdt' },
      { symbol: 'xrpusdt', base: 'xrp', quote: 'usdt' },
    ]);
    const btc = rules[0]!;
    expect(btc.tradingPair).toBe('BTC-USDT');
    expect(btc.minPriceIncrement.toFixed()).toBe('0.01');
    expect(btc.minBaseAmountIncrement.toFixed()).toBe('0.000001');
    expect(btc.minQuoteAmountIncrement.toFixed()).toBe('0.00000001');
    expect(btc.minOrderSize.toFixed()).toBe('0.0001');
    expect(btc.maxOrderSize.toFixed()).toBe('1000');
    expect(btc.minNotional.toFixed()).toBe('5');
    expect(btc.tradingEnabled).toBe(true);
    expect(rules[1]!.tradingEnabled).toBe(false); // suspend
  });

  it('newer /v1/settings/common/market-symbols with short names gives the same rule', () => {
    const classic = parseHuobiSymbols(fixture('http_get_common_symbols.json')).rules[0]!;
    const short = parseHuobiSymbols(fixture('http_get_market_symbols.json')).rules[0]!;
    for (const k of [
      'minPriceIncrement',
      'minBaseAmountIncrement',
      'minOrderSize',
      'maxOrderSize',
      'minNotional',
    ] as const)
      expect(short[k].toFixed()).toBe(classic[k].toFixed());
    expect(short.tradingPair).toBe('BTC-USDT');
  });

  it('a row with a bad precision is a malformed answer', () => {
    expect(() =>
      parseHuobiSymbols({
        status: 'ok',
        data: [{ symbol: 'x', bc: 'a', qc: 'b', state: 'online', pp: -1, ap: 1, vp: 1 }],
      }),
    ).toThrow(/malformed/);
  });
});
