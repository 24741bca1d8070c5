// Property-based tests of the Coinbase Pro parsers (the shared parser properties):
// any JSON in, a typed value or a typed HbError out, for every REST answer and
// every feed message type.
import { fixtureReader } from '@hb/testing';
import { describeParserProperties, type ParserCase } from '@hb/testing/suites';
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

const fixture = fixtureReader(__dirname);
const feed = (r: unknown): unknown => parseFeedMessage(r, { receivedAt: 1, level2UpdateId: 0 });

/** Each parser with its documented input. */
const PARSERS: ParserCase[] = [
  {
    name: 'level 3 book',
    parse: (r) => parseLevel3Snapshot(r, 'BTC-USD', 1),
    valid: fixture('http_get_product_book_level3.json'),
  },
  {
    name: 'level 2 book',
    parse: (r) => parseLevel2BookSnapshot(r, 'BTC-USD', 1),
    valid: fixture('http_get_product_book_level2.json'),
  },
  {
    name: 'trades',
    parse: (r) => parseRecentTrades(r, 'BTC-USD'),
    valid: fixture('http_get_product_trades.json'),
  },
  { name: 'order', parse: (r) => parseOrderUpdate(r), valid: fixture('http_get_order.json') },
  { name: 'orders', parse: (r) => parseOrderUpdates(r), valid: fixture('http_get_orders.json') },
  { name: 'fills', parse: (r) => parseFills(r), valid: fixture('http_get_fills.json') },
  { name: 'accounts', parse: (r) => parseAccountBalances(r, 1), valid: fixture('http_get_accounts.json') },
  { name: 'fees', parse: (r) => parseFees(r), valid: fixture('http_get_fees.json') },
  // Every feed message type, through the one feed parser.
  ...(
    [
      ['full open', 'ws_full_open.json'],
      ['full match', 'ws_full_match.json'],
      ['full change', 'ws_full_change.json'],
      ['full done', 'ws_full_done_filled.json'],
      ['full received (market)', 'ws_full_received_market.json'],
      ['heartbeat', 'ws_heartbeat.json'],
    ] as const
  ).map(([name, file]) => ({ name, parse: feed, valid: fixture(file) })),
  {
    name: 'user match',
    parse: (r) => parseUserChannelMessage(r),
    valid: fixture('ws_user_match_maker.json'),
  },
];

describeParserProperties('coinbase-pro', PARSERS);
