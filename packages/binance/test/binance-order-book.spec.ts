import { fixtureReader } from '@hb/testing';
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

describe('parseDepthSnapshot', () => {
  it('turns GET /api/v3/depth into a snapshot at lastUpdateId', () => {
    expect(parseDepthSnapshot(fixture('http_get_depth.json'), 'BTC-USDT', 1700000002000)).toEqual({
      type: 'snapshot',
      tradingPair: 'BTC-USDT',
      updateId: 51872041223,
      timestamp: 1700000002000,
      bids: [
        [37012.5, 0.412],
        [37012.49, 1],
      ],
      asks: [
        [37012.51, 2.1045],
        [37012.6, 0.003],
      ],
    });
  });

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
  it('turns a depthUpdate into a diff: firstUpdateId = U, updateId = u, timestamp = E', () => {
    expect(parseDepthUpdate(fixture('ws_depth_update.json'), symbols)).toEqual({
      type: 'diff',
      tradingPair: 'BTC-USDT',
      firstUpdateId: 51872041220,
      updateId: 51872041231,
      timestamp: 1700000001300,
      bids: [
        [37012.5, 0],
        [37011, 3.2],
      ],
      asks: [[37012.51, 2]],
    });
  });

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
  it('m = true (buyer was maker) is a taker SELL', () => {
    expect(parseTradeEvent(fixture('ws_trade.json'), symbols)).toEqual({
      type: 'trade',
      tradingPair: 'BTC-USDT',
      tradeId: '3291004456',
      price: 37012.51,
      amount: 0.005,
      side: 'sell',
      timestamp: 1700000001304,
    });
  });

  it('m = false is a taker BUY', () => {
    const t = { ...(fixture('ws_trade.json') as Record<string, unknown>), m: false };
    expect(parseTradeEvent(t, symbols).side).toBe('buy');
  });

  it('rejects a trade with a numeric price', () => {
    const t = { ...(fixture('ws_trade.json') as Record<string, unknown>), p: 37012.51 };
    expect(() => parseTradeEvent(t, symbols)).toThrow(/trade\.p/);
  });
});
