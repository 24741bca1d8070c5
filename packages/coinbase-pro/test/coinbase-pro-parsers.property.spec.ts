// Property-based tests of the Coinbase Pro parsers (fast-check): any JSON in, a
// typed value or a typed HbError out; never NaN, Infinity, a price <= 0 or a
// negative size or fee. Inputs are arbitrary JSON, and the documented fixtures
// with one field at a time replaced by arbitrary JSON or a hostile value.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { HOSTILE_WIRE_VALUES, jsonLeafPaths, wireOutcomeProblem, withLeaf } from '@hb/testing';
import {
  parseAccountBalances,
  parseFees,
  parseFills,
  parseOrderUpdate,
  parseOrderUpdates,
  parseUserChannelMessage,
} from '../src/coinbase-pro-order-parsers.js';
import {
  parseFeedMessage,
  parseLevel2BookSnapshot,
  parseLevel3Snapshot,
} from '../src/coinbase-pro-order-book.js';
import { parseRecentTrades } from '../src/coinbase-pro-market-data.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as unknown;
const feed = (r: unknown): unknown => parseFeedMessage(r, { receivedAt: 1, level2UpdateId: 0 });

const PARSERS: [string, (raw: unknown) => unknown, unknown, boolean][] = [
  [
    'level 3 book',
    (r) => parseLevel3Snapshot(r, 'BTC-USD', 1),
    fixture('http_get_product_book_level3.json'),
    false,
  ],
  [
    'level 2 book',
    (r) => parseLevel2BookSnapshot(r, 'BTC-USD', 1),
    fixture('http_get_product_book_level2.json'),
    false,
  ],
  ['trades', (r) => parseRecentTrades(r, 'BTC-USD'), fixture('http_get_product_trades.json'), false],
  ['order', (r) => parseOrderUpdate(r), fixture('http_get_order.json'), false],
  ['orders', (r) => parseOrderUpdates(r), fixture('http_get_orders.json'), false],
  ['fills', (r) => parseFills(r), fixture('http_get_fills.json'), false],
  ['accounts', (r) => parseAccountBalances(r, 1), fixture('http_get_accounts.json'), false],
  ['fees', (r) => parseFees(r), fixture('http_get_fees.json'), false],
  ['full open', feed, fixture('ws_full_open.json'), false],
  ['full match', feed, fixture('ws_full_match.json'), false],
  ['full change', feed, fixture('ws_full_change.json'), false],
  ['full done', feed, fixture('ws_full_done_filled.json'), false],
  ['full received (market)', feed, fixture('ws_full_received_market.json'), false],
  ['heartbeat', feed, fixture('ws_heartbeat.json'), false],
  ['user match', (r) => parseUserChannelMessage(r), fixture('ws_user_match_maker.json'), false],
];

const hostile = fc.oneof(
  fc.constantFrom(...HOSTILE_WIRE_VALUES),
  fc.jsonValue(),
  fc.double(),
  fc.string(),
  fc.integer().map((n) => String(n)),
  fc.double().map((n) => String(n)),
);

describe('coinbase-pro parsers: any JSON in, a typed value or a typed error out', () => {
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
});
