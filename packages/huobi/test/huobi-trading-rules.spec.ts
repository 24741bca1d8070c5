// Trading rules from both reference-data shapes: the list checks are the shared
// suite's (every documented entry loads, an unreadable one is skipped and
// reported, a body that is not the list throws); what each rule holds is Huobi's.
import { describeTradingRuleList } from '@hb/testing/suites';
import { parseHuobiSymbols } from '../src/huobi-trading-rules.js';
import { fixture } from './fixture.js';

type SymbolsBody = { readonly data: readonly Record<string, unknown>[] };

/** The fixture with an entry whose price precision is negative put first (`badusdt`). */
function withBadPrecision(name: string, precisionField: 'price-precision' | 'pp'): unknown {
  const body = fixture(name) as SymbolsBody;
  const bad = { ...body.data[0], symbol: 'badusdt', [precisionField]: -1 };
  return { ...body, data: [bad, ...body.data] };
}

const notTheList = { body: { status: 'ok', data: { symbol: 'btcusdt' } }, error: /symbols answer\.data/ };

describeTradingRuleList(
  'huobi /v1/common/symbols',
  {
    parse: parseHuobiSymbols,
    body: fixture('http_get_common_symbols.json'),
    pairs: ['BTC-USDT', 'XRP-USDT'],
    withUnreadableEntry: {
      body: withBadPrecision('http_get_common_symbols.json', 'price-precision'),
      symbol: 'badusdt',
    },
    notTheList,
  },
  () => {
    it('grids from precisions, limit-order min/max, min value, state; the symbol map both ways', () => {
      const { rules, symbols } = parseHuobiSymbols(fixture('http_get_common_symbols.json'));
      expect(symbols.toSymbol('BTC-USDT')).toBe('btcusdt');
      expect(symbols.toPair('xrpusdt')).toBe('XRP-USDT');
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

    it('an unreadable entry is left out of the symbol map too', () => {
      const parsed = parseHuobiSymbols(withBadPrecision('http_get_common_symbols.json', 'price-precision'));
      expect(parsed.symbols.tryPair('badusdt')).toBeUndefined();
    });
  },
);

describeTradingRuleList(
  'huobi /v1/settings/common/market-symbols',
  {
    parse: parseHuobiSymbols,
    body: fixture('http_get_market_symbols.json'),
    pairs: ['BTC-USDT'],
    withUnreadableEntry: { body: withBadPrecision('http_get_market_symbols.json', 'pp'), symbol: 'badusdt' },
    notTheList,
  },
  () => {
    it('short names give the same rule as the classic shape', () => {
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
  },
);
