import { fixtureReader } from '@hb/testing';
import { describeDecoding } from '@hb/testing/suites';
import { HbError } from '@hb/core/connector';
import {
  parseDepthSnapshot,
  parseDepthUpdate,
  parseTradeEvent,
  unwrapCombinedStream,
} from '../src/binance-order-book.js';
import { symbolMapFromExchangeInfo } from '../src/binance-utils.js';

const fixture = fixtureReader(__dirname);

const symbols = symbolMapFromExchangeInfo(fixture('http_get_exchangeInfo.json'));

// Each fixture and what it decodes to: test/expected/order-book.json.
describeDecoding(__dirname, 'order-book', {
  'GET /api/v3/depth -> a snapshot at lastUpdateId': () =>
    parseDepthSnapshot(fixture('http_get_depth.json'), 'BTC-USDT', 1700000002000),
  'depthUpdate -> a diff: firstUpdateId = U, updateId = u, timestamp = E': () =>
    parseDepthUpdate(fixture('ws_depth_update.json'), symbols),
  'trade: m = true (buyer was maker) is a taker SELL': () =>
    parseTradeEvent(fixture('ws_trade.json'), symbols),
});

describe('parseDepthSnapshot', () => {
  it('rejects levels that are not decimal strings', () => {
    expect(() =>
      parseDepthSnapshot({ lastUpdateId: 1, bids: [[37012.5, 1]], asks: [] }, 'BTC-USDT', 0),
    ).toThrow(HbError);
    expect(() =>
      parseDepthSnapshot({ lastUpdateId: 1, bids: [], asks: [['1e3', '1']] }, 'BTC-USDT', 0),
    ).toThrow(/malformed/);
    expect(() => parseDepthSnapshot({ bids: [], asks: [] }, 'BTC-USDT', 0)).toThrow(/lastUpdateId/);
  });
});

describe('parseDepthUpdate', () => {
  it('refuses another event type', () => {
    expect(() => parseDepthUpdate(fixture('ws_trade.json'), symbols)).toThrow(/wrong event type/);
  });
});

describe('unwrapCombinedStream', () => {
  it('unwraps {stream, data} and passes raw payloads through', () => {
    const combined = unwrapCombinedStream(fixture('ws_combined_depth.json'));
    expect(combined.stream).toBe('btcusdt@depth@100ms');
    expect(combined.data).toEqual(fixture('ws_depth_update.json'));
    const raw = fixture('ws_trade.json');
    expect(unwrapCombinedStream(raw)).toEqual({ stream: undefined, data: raw });
  });
});

describe('trades: side is the taker side', () => {
  it('m = false is a taker BUY', () => {
    const t = { ...(fixture('ws_trade.json') as Record<string, unknown>), m: false };
    expect(parseTradeEvent(t, symbols).side).toBe('buy');
  });

  it('rejects a trade with a numeric price', () => {
    const t = { ...(fixture('ws_trade.json') as Record<string, unknown>), p: 37012.51 };
    expect(() => parseTradeEvent(t, symbols)).toThrow(/trade\.p/);
  });
});
