// Trading rules from both reference-data shapes.
import { parseHuobiSymbols } from '../src/huobi-trading-rules.js';
import { fixture } from './fixture.js';

describe('reference data', () => {
  it('classic /v1/common/symbols: grids from precisions, limit-order min/max, min value, state', () => {
    const { rules, symbols, skipped } = parseHuobiSymbols(fixture('http_get_common_symbols.json'));
    expect(symbols.pairs()).toEqual(['BTC-USDT', 'XRP-USDT']);
    expect(symbols.toSymbol('BTC-USDT')).toBe('btcusdt');
    expect(symbols.toPair('xrpusdt')).toBe('XRP-USDT');
    expect(skipped).toEqual([]);
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

  it('a row with a bad precision is skipped and reported with its symbol; the others load', () => {
    const body = fixture('http_get_market_symbols.json') as { data: Record<string, unknown>[] };
    const bad = { ...body.data[0], symbol: 'badusdt', bc: 'bad', pp: -1 };
    const parsed = parseHuobiSymbols({ ...body, data: [bad, ...body.data] });
    expect(parsed.rules.map((r) => r.tradingPair)).toEqual(['BTC-USDT']);
    expect(parsed.skipped).toHaveLength(1);
    expect(parsed.skipped[0]!.symbol).toBe('badusdt');
    expect(parsed.skipped[0]!.error.reason).toBe('malformed_message');
    expect(parsed.symbols.tryPair('badusdt')).toBeUndefined();
  });
});
