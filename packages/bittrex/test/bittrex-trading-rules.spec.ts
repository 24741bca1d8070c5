// Trading rules from `GET /markets`: the list checks are the shared suite's
// (every documented entry loads, an unreadable one is skipped and reported with
// its symbol, a body that is not the list throws); what each rule holds is
// Bittrex's: tick 10^-precision, minTradeSize, 8-decimal quantities, status.
import { expect, it } from '@jest/globals';
import { describeTradingRuleList } from '@hb/testing/suites';
import { parseMarkets, parseTradingRules, symbolMapOf } from '../src/bittrex-trading-rules.js';
import { fixture } from './fixtures.js';

const MARKETS = fixture<readonly Record<string, unknown>[]>('http_get_markets');

/** The documented list with a second market, and one more whose status Bittrex never documented. */
const LISTED = [
  ...MARKETS,
  { ...MARKETS[0], symbol: 'ETH-BTC', baseCurrencySymbol: 'ETH', quoteCurrencySymbol: 'BTC', precision: 6 },
];
const WITH_UNREADABLE = [
  { ...MARKETS[0], symbol: 'NEW-USDT', baseCurrencySymbol: 'NEW', status: 'DELISTING' },
  ...LISTED,
];

describeTradingRuleList(
  'bittrex /v3/markets',
  {
    parse: parseTradingRules,
    body: LISTED,
    pairs: ['BTC-USDT', 'ETH-BTC'],
    withUnreadableEntry: { body: WITH_UNREADABLE, symbol: 'NEW-USDT' },
    notTheList: { body: { symbol: 'BTC-USDT' }, error: /markets/ },
  },
  () => {
    it('precision -> tick, minTradeSize -> minimum, 8-decimal quantities, status', () => {
      const { rules } = parseTradingRules(fixture('http_get_markets'));
      const rule = rules[0]!;
      expect(rule.tradingPair).toBe('BTC-USDT');
      expect(rule.minPriceIncrement.toFixed()).toBe('0.001');
      expect(rule.minOrderSize.toFixed()).toBe('0.0001');
      expect(rule.minBaseAmountIncrement.toFixed()).toBe('0.00000001');
      expect(rule.tradingEnabled).toBe(true);
      const offline = parseMarkets([{ ...MARKETS[0], status: 'OFFLINE' }]);
      expect(offline.markets[0]!.online).toBe(false);
    });

    it('a v1.1-style reversed symbol is unreadable (skipped with its symbol), and so absent from the symbol map', () => {
      const list = parseMarkets([{ ...MARKETS[0], symbol: 'USDT-BTC' }, ...LISTED]);
      expect(list.skipped.map((s) => [s.symbol, s.error.reason])).toEqual([
        ['USDT-BTC', 'malformed_message'],
      ]);
      const symbols = symbolMapOf(list);
      expect(symbols.pairs()).toEqual(['BTC-USDT', 'ETH-BTC']);
      expect(symbols.skipped.map((s) => s.symbol)).toEqual(['USDT-BTC']);
    });
  },
);
