// Property-based tests of the Bittrex parsers (fast-check): any JSON in, a typed
// value or a typed HbError out; never NaN, Infinity, a price <= 0 or a negative
// size or fee. Inputs are arbitrary JSON, and the documented fixtures with one
// field at a time replaced by arbitrary JSON or a hostile value.
import { describeParserProperties } from '@hb/testing/suites';
import {
  parseBalance,
  parseBalances,
  parseExecution,
  parseExecutions,
  parseOrder,
  parseOrders,
  toOpenOrder,
  toOrderUpdate,
} from '../src/bittrex-order-parsers.js';
import {
  parseOrderBookDelta,
  parseOrderBookSnapshot,
  parseRecentTrades,
  parseTradeDelta,
} from '../src/bittrex-order-book.js';
import { fixture } from './fixtures.js';

const decoded = (name: string): Record<string, unknown> =>
  fixture<{ decoded: Record<string, unknown> }>(name).decoded;
const book = fixture<{ headers: { Sequence: string }; body: unknown }>('http_get_markets_orderbook');

/** Each parser with a valid documented input, and whether a NaN price is allowed (market orders). */
const PARSERS: [string, (raw: unknown) => unknown, unknown, boolean][] = [
  [
    'order book snapshot',
    (r) => parseOrderBookSnapshot(r, book.headers.Sequence, 'BTC-USDT', 1),
    book.body,
    false,
  ],
  ['orderBook delta', (r) => parseOrderBookDelta(r, 1), decoded('ws_orderbook_delta'), false],
  ['trade delta', (r) => parseTradeDelta(r), decoded('ws_trade_delta'), false],
  ['recent trades', (r) => parseRecentTrades(r, 'BTC-USDT'), fixture('http_get_markets_trades'), false],
  ['order (REST)', (r) => toOrderUpdate(parseOrder(r)), fixture('http_post_orders'), false],
  ['order (stream)', (r) => toOrderUpdate(parseOrder(r)), decoded('ws_order_closed')['delta'], false],
  ['open order', (r) => toOpenOrder(parseOrder(r)), fixture('http_post_orders'), true],
  ['orders', (r) => parseOrders(r).map(toOrderUpdate), [fixture('http_post_orders')], false],
  ['executions', (r) => parseExecutions(r, 'hb-1'), fixture('http_get_orders_executions'), false],
  [
    'execution delta',
    (r) => parseExecution(r),
    (decoded('ws_execution_delta')['deltas'] as unknown[])[0],
    false,
  ],
  ['balances', (r) => parseBalances(r), fixture<{ body: unknown }>('http_get_balances').body, false],
  ['balance delta', (r) => parseBalance(r), decoded('ws_balance_delta')['delta'], false],
];

describeParserProperties(
  'bittrex',
  PARSERS.map(([name, parse, valid, nanPrice]) => ({ name, parse, valid, nanPrice })),
);
