// Property-based tests of the Huobi parsers (fast-check): any JSON in, a typed
// value or a typed HbError out; never NaN, Infinity, a price <= 0 or a negative
// size or fee. Inputs are arbitrary JSON, and the documented fixtures with one
// field at a time replaced by arbitrary JSON or a hostile value.
import fc from 'fast-check';
import { SymbolMap } from '@hb/core/connector';
import { describeParserProperties } from '@hb/testing/suites';
import {
  parseAccountStreamPush,
  parseBalances,
  parseMatchResults,
  parseOpenOrders,
  parseOrderAnswer,
} from '../src/huobi-order-parsers.js';
import {
  parseHistoryTrades,
  parseMbpIncrement,
  parseMbpRefresh,
  parseRestDepth,
  parseTradeDetail,
} from '../src/huobi-order-book.js';
import { fixture } from './fixture.js';

const symbols = new SymbolMap('huobi', [{ symbol: 'btcusdt', baseAsset: 'BTC', quoteAsset: 'USDT' }]);
const field = (name: string, key: string): unknown => (fixture(name) as Record<string, unknown>)[key];

/** Each parser with a valid documented input, and whether a NaN price is allowed (market orders). */
const PARSERS: [string, (raw: unknown) => unknown, unknown, boolean][] = [
  [
    'mbp increment',
    (r) => parseMbpIncrement(r, 'BTC-USDT', 1),
    field('ws_mbp_increment.json', 'tick'),
    false,
  ],
  ['mbp refresh', (r) => parseMbpRefresh(r, 'BTC-USDT', 1), field('ws_mbp_refresh.json', 'data'), false],
  ['rest depth', (r) => parseRestDepth(r, 'BTC-USDT'), fixture('http_get_market_depth.json'), false],
  ['trade detail', (r) => parseTradeDetail(r, 'BTC-USDT'), field('ws_trade_detail.json', 'tick'), false],
  [
    'history trades',
    (r) => parseHistoryTrades(r, 'BTC-USDT'),
    fixture('http_get_market_history_trade.json'),
    false,
  ],
  ['order', (r) => parseOrderAnswer(r, symbols), fixture('http_get_order_get_client_order.json'), false],
  ['open orders', (r) => parseOpenOrders(r, symbols), fixture('http_get_open_orders.json'), true],
  ['matchresults', (r) => parseMatchResults(r, symbols), fixture('http_get_order_matchresults.json'), false],
  ['balances', (r) => parseBalances(r, 1), fixture('http_get_account_balance.json'), false],
  ['orders push (trade)', (r) => parseAccountStreamPush(r, symbols), fixture('ws_orders_trade.json'), false],
  [
    'orders push (creation)',
    (r) => parseAccountStreamPush(r, symbols),
    fixture('ws_orders_creation.json'),
    false,
  ],
  [
    'orders push (cancellation)',
    (r) => parseAccountStreamPush(r, symbols),
    fixture('ws_orders_cancellation.json'),
    false,
  ],
  [
    'clearing push',
    (r) => parseAccountStreamPush(r, symbols),
    fixture('ws_trade_clearing_trade.json'),
    false,
  ],
  [
    'accounts push',
    (r) => parseAccountStreamPush(r, symbols),
    fixture('ws_accounts_update_mode2.json'),
    false,
  ],
];

describeParserProperties(
  'huobi',
  PARSERS.map(([name, parse, valid, nanPrice]) => ({ name, parse, valid, nanPrice })),
  () => {
    it('mbp increments: an inverted or repeated range is refused', () => {
      const tick = field('ws_mbp_increment.json', 'tick') as Record<string, number>;
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 1000 }), (seq, back) => {
          const bad = { ...tick, seqNum: seq, prevSeqNum: seq + back };
          expect(() => parseMbpIncrement(bad, 'BTC-USDT', 1)).toThrow(/prevSeqNum/);
        }),
        { numRuns: 200 },
      );
    });
  },
);
