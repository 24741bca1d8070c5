// Market-data parsers on the documented payloads, and the MBP recipe through
// core's previous-id rule.
import { OrderBook, previousIdSequenceRule } from '@hb/core/connector';
import {
  parseHistoryTrades,
  parseHuobiMarketFrame,
  parseMbpIncrement,
  parseMbpRefresh,
  parseRestDepth,
  parseTradeDetail,
} from '../src/huobi-order-book.js';
import { fixture } from './fixture.js';

describe('market frames', () => {
  it('classifies ping, sub reply, error, rep and push', () => {
    expect(parseHuobiMarketFrame(fixture('ws_ping_market.json'))).toEqual({
      kind: 'ping',
      ts: 1700000000123,
    });
    expect(parseHuobiMarketFrame(fixture('ws_sub_ok.json'))).toEqual({
      kind: 'subbed',
      id: 'id1',
      topic: 'market.btcusdt.depth.step0',
    });
    expect(parseHuobiMarketFrame(fixture('ws_error_invalid_topic.json'))).toEqual({
      kind: 'error',
      id: 'id1',
      code: 'bad-request',
      message: 'invalid topic market.btcusdt.kline.1s',
    });
    expect(parseHuobiMarketFrame(fixture('ws_mbp_refresh.json'))).toMatchObject({ kind: 'rep', id: '2' });
    expect(parseHuobiMarketFrame(fixture('ws_mbp_increment.json'))).toMatchObject({
      kind: 'push',
      topic: 'market.btcusdt.mbp.150',
      ts: 1700000002679,
    });
    expect(() => parseHuobiMarketFrame({ hello: 1 })).toThrow(/malformed/);
  });

  it('an MBP increment becomes a diff linked by prevSeqNum; an empty side stays empty', () => {
    const f = fixture('ws_mbp_increment.json') as { tick: unknown; ts: number };
    expect(parseMbpIncrement(f.tick, 'BTC-USDT', f.ts)).toEqual({
      type: 'diff',
      tradingPair: 'BTC-USDT',
      updateId: 100020146795,
      prevUpdateId: 100020146794,
      timestamp: 1700000002679,
      bids: [],
      asks: [
        [37013.0, 0.0],
        [37013.5, 1.2],
      ],
    });
  });

  it('a req refresh becomes a snapshot at its seqNum', () => {
    const f = fixture('ws_mbp_refresh.json') as { data: unknown };
    expect(parseMbpRefresh(f.data, 'BTC-USDT', 5)).toEqual({
      type: 'snapshot',
      tradingPair: 'BTC-USDT',
      updateId: 100020146790,
      timestamp: 5,
      bids: [[37012.5, 0.412]],
      asks: [[37012.51, 2.1045]],
    });
  });

  it('rejects a whole frame with a bad level (negative size, non-number price, missing seqNum)', () => {
    expect(() => parseMbpIncrement({ seqNum: 2, prevSeqNum: 1, bids: [[1, -1]] }, 'P', 0)).toThrow(/size/);
    expect(() => parseMbpIncrement({ seqNum: 2, prevSeqNum: 1, bids: [['1', 1]] }, 'P', 0)).toThrow(/price/);
    expect(() => parseMbpIncrement({ prevSeqNum: 1, bids: [] }, 'P', 0)).toThrow(/seqNum/);
  });

  it('trades: taker side from `direction`, id from `tradeId`; the legacy id above 2^53 is ignored', () => {
    const f = fixture('ws_trade_detail.json') as { tick: unknown };
    expect(parseTradeDetail(f.tick, 'BTC-USDT')).toEqual([
      {
        type: 'trade',
        tradingPair: 'BTC-USDT',
        tradeId: '102043495674',
        price: 37012.51,
        amount: 0.0099,
        side: 'buy',
        timestamp: 1700000001095,
      },
    ]);
  });

  it('REST trades (`trade-id`) come out oldest first; REST depth is a snapshot at its version', () => {
    const trades = parseHistoryTrades(fixture('http_get_market_history_trade.json'), 'BTC-USDT');
    expect(trades.map((t) => [t.tradeId, t.side])).toEqual([
      ['102043494568', 'buy'],
      ['102043494569', 'sell'],
    ]);
    const depth = parseRestDepth(fixture('http_get_market_depth.json'), 'BTC-USDT');
    expect(depth).toMatchObject({
      updateId: 100434317651,
      bids: [
        [37012.5, 0.412],
        [37012.49, 1.0],
      ],
    });
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
