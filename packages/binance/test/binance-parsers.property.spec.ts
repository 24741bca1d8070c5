// Property-based tests of the Binance parsers (fast-check): any JSON in, a typed
// value or a typed HbError out; never NaN, Infinity, a price <= 0 or a negative
// size or fee. Inputs are arbitrary JSON, and the documented fixtures with one
// field at a time replaced by arbitrary JSON or a hostile value.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { HbError } from '@hb/core/connector';
import { HOSTILE_WIRE_VALUES, jsonLeafPaths, wireOutcomeProblem, withLeaf } from '@hb/testing';
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

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as unknown;
const symbols = symbolMapFromExchangeInfo(fixture('http_get_exchangeInfo.json'));
const data = (name: string): unknown => unwrapCombinedStream(fixture(name)).data;

/** Each parser with a valid documented input. */
const PARSERS: [string, (raw: unknown) => unknown, unknown, boolean][] = [
  ['depth snapshot', (r) => parseDepthSnapshot(r, 'BTC-USDT', 1), fixture('http_get_depth.json'), false],
  ['depthUpdate', (r) => parseDepthUpdate(r, symbols), data('ws_depth_update.json'), false],
  ['trade event', (r) => parseTradeEvent(r, symbols), data('ws_trade.json'), false],
  ['recent trades', (r) => parseRecentTrades(r, 'BTC-USDT'), fixture('http_get_trades.json'), false],
  ['order', (r) => parseOrderUpdate(r, symbols), fixture('http_get_order.json'), false],
  ['order fills', (r) => parseOrderFills(r, symbols), fixture('http_post_order_full.json'), false],
  ['myTrades', (r) => parseMyTrades(r, symbols), fixture('http_get_myTrades.json'), false],
  ['account', (r) => parseAccountBalances(r), fixture('http_get_account.json'), false],
  // Market orders list price 0: the parser gives NaN for "no price".
  ['openOrders', (r) => parseOpenOrders(r, symbols), fixture('http_get_openOrders.json'), true],
  [
    'execution report',
    (r) => parseUserDataEvent(r, symbols),
    fixture('ws_user_execution_report_trade.json'),
    false,
  ],
  [
    'account position',
    (r) => parseUserDataEvent(r, symbols),
    fixture('ws_user_outbound_account_position.json'),
    false,
  ],
];

const hostile = fc.oneof(
  fc.constantFrom(...HOSTILE_WIRE_VALUES),
  fc.jsonValue(),
  fc.double(),
  fc.string(),
  fc.integer().map((n) => String(n)),
  fc.double().map((n) => String(n)),
);

describe('binance parsers: any JSON in, a typed value or a typed error out', () => {
  for (const [name, parse, valid, nanPrice] of PARSERS) {
    it(`${name}: the documented input parses sane`, () => {
      expect(wireOutcomeProblem(() => parse(valid), nanPrice)).toBeUndefined();
      expect(() => parse(valid)).not.toThrow();
    });

    it(`${name}: arbitrary JSON`, () => {
      fc.assert(
        fc.property(fc.jsonValue(), (raw) => wireOutcomeProblem(() => parse(raw), nanPrice) === undefined),
        { numRuns: 200 },
      );
    });

    it(`${name}: one field replaced by a hostile value`, () => {
      const paths = jsonLeafPaths(valid);
      fc.assert(
        fc.property(fc.constantFrom(...paths), hostile, (path, value) => {
          const problem = wireOutcomeProblem(() => parse(withLeaf(valid, path, value)), nanPrice);
          if (problem !== undefined)
            throw new Error(`${path.join('.')} = ${JSON.stringify(value)}: ${problem}`);
        }),
        { numRuns: 400 },
      );
    });
  }

  it('depth frames: any text in, a typed error or only finite levels with price > 0 and amount >= 0 out', () => {
    const valid = readFileSync(join(__dirname, 'fixtures', 'ws_combined_depth.json'), 'utf8');
    const framed = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .tuple(fc.constantFrom(...jsonLeafPaths(JSON.parse(valid))), hostile)
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
