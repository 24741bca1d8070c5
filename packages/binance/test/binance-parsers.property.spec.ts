// Property-based tests of the Binance parsers (the shared parser properties): any
// JSON in, a typed value or a typed HbError out. Binance's own: its depth frames
// are parsed from text without building objects, so any text goes in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { HbError } from '@hb/core/connector';
import { fixtureReader, jsonLeafPaths, withLeaf } from '@hb/testing';
import { describeParserProperties, hostileWireValue, type ParserCase } from '@hb/testing/suites';
import {
  parseAccountBalances,
  parseMyTrades,
  parseOpenOrders,
  parseOrderFills,
  parseOrderUpdate,
  parseUserDataEvent,
} from '../src/binance-order-parsers.js';
import {
  parseDepthSnapshot,
  parseDepthUpdate,
  parseDepthUpdateFrame,
  parseTradeEvent,
  unwrapCombinedStream,
} from '../src/binance-order-book.js';
import { parseRecentTrades } from '../src/binance-market-data.js';
import { symbolMapFromExchangeInfo } from '../src/binance-utils.js';

const fixture = fixtureReader(__dirname);
const symbols = symbolMapFromExchangeInfo(fixture('http_get_exchangeInfo.json'));
const data = (name: string): unknown => unwrapCombinedStream(fixture(name)).data;

/** Each parser with its documented input. */
const PARSERS: ParserCase[] = [
  {
    name: 'depth snapshot',
    parse: (r) => parseDepthSnapshot(r, 'BTC-USDT', 1),
    valid: fixture('http_get_depth.json'),
  },
  { name: 'depthUpdate', parse: (r) => parseDepthUpdate(r, symbols), valid: data('ws_depth_update.json') },
  { name: 'trade event', parse: (r) => parseTradeEvent(r, symbols), valid: data('ws_trade.json') },
  {
    name: 'recent trades',
    parse: (r) => parseRecentTrades(r, 'BTC-USDT'),
    valid: fixture('http_get_trades.json'),
  },
  { name: 'order', parse: (r) => parseOrderUpdate(r, symbols), valid: fixture('http_get_order.json') },
  {
    name: 'order fills',
    parse: (r) => parseOrderFills(r, symbols),
    valid: fixture('http_post_order_full.json'),
  },
  { name: 'myTrades', parse: (r) => parseMyTrades(r, symbols), valid: fixture('http_get_myTrades.json') },
  { name: 'account', parse: (r) => parseAccountBalances(r), valid: fixture('http_get_account.json') },
  // Market orders list price 0: the parser gives NaN for "no price".
  {
    name: 'openOrders',
    parse: (r) => parseOpenOrders(r, symbols),
    valid: fixture('http_get_openOrders.json'),
    nanPrice: true,
  },
  {
    name: 'execution report',
    parse: (r) => parseUserDataEvent(r, symbols),
    valid: fixture('ws_user_execution_report_trade.json'),
  },
  {
    name: 'account position',
    parse: (r) => parseUserDataEvent(r, symbols),
    valid: fixture('ws_user_outbound_account_position.json'),
  },
];

describeParserProperties('binance', PARSERS, () => {
  it('depth frames: any text in, a typed error or only finite levels with price > 0 and amount >= 0 out', () => {
    const valid = readFileSync(join(__dirname, 'fixtures', 'ws_combined_depth.json'), 'utf8');
    const framed = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .tuple(fc.constantFrom(...jsonLeafPaths(JSON.parse(valid))), hostileWireValue)
        .map(([path, v]) => JSON.stringify(withLeaf(JSON.parse(valid), path, v))),
    );
    fc.assert(
      fc.property(framed, (text) => {
        let first = 0;
        let last = 0;
        const levels: [number, number][] = [];
        try {
          parseDepthUpdateFrame(text, {
            begin: (_s, f, l) => {
              first = f;
              last = l;
              return true;
            },
            level: (_b, p, a) => void levels.push([p, a]),
            end: () => undefined,
          });
        } catch (e) {
          if (!(e instanceof HbError)) throw e;
          return;
        }
        if (!(first <= last)) throw new Error(`inverted range ${first}..${last} from ${text}`);
        for (const [p, a] of levels)
          if (!(p > 0 && p < Infinity && a >= 0 && a < Infinity))
            throw new Error(`level [${p}, ${a}] from ${text}`);
      }),
      { numRuns: 1000 },
    );
  });
});
