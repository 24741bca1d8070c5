// Market-data parsers on the documented payloads (the shared parse-then-compare:
// test/expected/order-book.json), refusals of a bad frame, and the MBP recipe
// through core's previous-id rule.
import { OrderBook, previousIdSequenceRule } from '@hb/core/connector';
import { describeDecoding, type DecodingCases } from '@hb/testing/suites';
import {
  parseHistoryTrades,
  parseHuobiMarketFrame,
  parseMbpIncrement,
  parseMbpRefresh,
  parseRestDepth,
  parseTradeDetail,
} from '../src/huobi-order-book.js';
import { fixture } from './fixture.js';

const tick = (name: string): { tick: unknown; ts: number } => fixture(name) as { tick: unknown; ts: number };

/** Each documented payload and its decoding; what it decodes to is in expected/order-book.json. */
const CASES = {
  'ws_ping_market.json: a server ping': () => parseHuobiMarketFrame(fixture('ws_ping_market.json')),
  'ws_sub_ok.json: a subscription answer names its topic': () =>
    parseHuobiMarketFrame(fixture('ws_sub_ok.json')),
  'ws_error_invalid_topic.json: an error frame with its code and message': () =>
    parseHuobiMarketFrame(fixture('ws_error_invalid_topic.json')),
  'ws_mbp_refresh.json: a req answer (rep) with its id': () =>
    parseHuobiMarketFrame(fixture('ws_mbp_refresh.json')),
  'ws_mbp_increment.json: a push on its topic': () => parseHuobiMarketFrame(fixture('ws_mbp_increment.json')),
  'ws_mbp_increment.json: an MBP increment is a diff linked by prevSeqNum; an empty side stays empty': () => {
    const f = tick('ws_mbp_increment.json');
    return parseMbpIncrement(f.tick, 'BTC-USDT', f.ts);
  },
  'ws_mbp_refresh.json: a req refresh is a snapshot at its seqNum': () =>
    parseMbpRefresh((fixture('ws_mbp_refresh.json') as { data: unknown }).data, 'BTC-USDT', 5),
  'ws_trade_detail.json: taker side from `direction`, id from `tradeId`, the legacy id above 2^53 ignored':
    () => parseTradeDetail(tick('ws_trade_detail.json').tick, 'BTC-USDT'),
  'http_get_market_history_trade.json: REST trades by `trade-id`, oldest first': () =>
    parseHistoryTrades(fixture('http_get_market_history_trade.json'), 'BTC-USDT'),
  'http_get_market_depth.json: REST depth is a snapshot at its version': () =>
    parseRestDepth(fixture('http_get_market_depth.json'), 'BTC-USDT'),
} satisfies DecodingCases;

describeDecoding(__dirname, 'order-book', CASES, () => {
  it('a frame of no known kind is refused as malformed', () => {
    expect(() => parseHuobiMarketFrame({ hello: 1 })).toThrow(/malformed/);
  });

  it('rejects a whole frame with a bad level (negative size, non-number price, missing seqNum)', () => {
    expect(() => parseMbpIncrement({ seqNum: 2, prevSeqNum: 1, bids: [[1, -1]] }, 'P', 0)).toThrow(/size/);
    expect(() => parseMbpIncrement({ seqNum: 2, prevSeqNum: 1, bids: [['1', 1]] }, 'P', 0)).toThrow(/price/);
    expect(() => parseMbpIncrement({ prevSeqNum: 1, bids: [] }, 'P', 0)).toThrow(/seqNum/);
  });

  it('the documented alignment: cached increments up to the refresh are stale, the one with prevSeqNum == seqNum applies', () => {
    const snapshotSeq = 100020146790;
    const rule = previousIdSequenceRule;
    expect(rule.classify({ updateId: 100020146788, prevUpdateId: 100020146785 }, snapshotSeq)).toBe('stale');
    expect(rule.classify({ updateId: 100020146790, prevUpdateId: 100020146788 }, snapshotSeq)).toBe('stale');
    expect(rule.classify({ updateId: 100020146793, prevUpdateId: 100020146790 }, snapshotSeq)).toBe('apply');
    expect(rule.classify({ updateId: 100020146797, prevUpdateId: 100020146795 }, 100020146793)).toBe('gap');
    const book = new OrderBook('BTC-USDT');
    const refresh = parseMbpRefresh(
      (fixture('ws_mbp_refresh.json') as { data: unknown }).data,
      'BTC-USDT',
      0,
    );
    book.applySnapshot(refresh.bids, refresh.asks, refresh.updateId);
    book.applyDiffs(
      [],
      [
        [37012.51, 0],
        [37013.5, 1.2],
      ],
      100020146793,
    );
    expect(book.bestAsk).toBe(37013.5);
    expect(book.bestBid).toBe(37012.5);
  });
});
