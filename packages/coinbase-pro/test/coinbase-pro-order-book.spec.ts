import { fixtureReader } from '@hb/testing';
import { describeDecoding } from '@hb/testing/suites';
import {
  ActiveOrderTracker,
  consecutiveSequenceRule,
  HbError,
  OrderBook,
  type OrderDiffMessage,
} from '@hb/core/connector';
import {
  parseFeedMessage,
  parseFullChannelMessage,
  parseHeartbeat,
  parseLevel2BookSnapshot,
  parseLevel2Snapshot,
  parseLevel2Update,
  parseLevel3Snapshot,
  parseMatchTrade,
  parseSubscriptions,
} from '../src/coinbase-pro-order-book.js';

type Json = Record<string, unknown>;

const fixtureOf = fixtureReader(__dirname);

function fixture(name: string): Json {
  return fixtureOf<Json>(name);
}

/** A fixture frame with some fields changed and some removed (the variants the doc describes in prose). */
function variant(name: string, changes: Json, remove: readonly string[] = []): Json {
  const out: Json = { ...fixture(name), ...changes };
  for (const k of remove) delete out[k];
  return out;
}

const MAKER = 'ac928c66-ca53-498f-9c13-a110027a60e8';
const TAKER = '132fb6ae-456b-4654-b4e0-d681ac05cea1';
const NEW_ORDER = 'd50ec984-77a8-460a-b958-66f114b0de9b';

const full = (name: string): ReturnType<typeof parseFullChannelMessage> =>
  parseFullChannelMessage(fixture(name));

// Each fixture and what it decodes to: test/expected/order-book.json.
describeDecoding(__dirname, 'order-book', {
  'REST level 3 -> order snapshot at sequence, one BookOrder per entry': () =>
    parseLevel3Snapshot(fixture('http_get_product_book_level3.json'), 'BTC-USD', 1700000000000),
  'REST level 2 -> L2 snapshot at sequence (num_orders dropped)': () =>
    parseLevel2BookSnapshot(fixture('http_get_product_book_level2.json'), 'BTC-USD', 5),
  'full received: no change': () => full('ws_full_received.json'),
  'full received for a market order (funds, no price): no change': () =>
    full('ws_full_received_market.json').diff,
  'full open: adds the order at price with remaining_size': () => full('ws_full_open.json').diff.changes,
  'full match: fills the MAKER order by size, and the trade is the taker side': () =>
    full('ws_full_match.json'),
  'full done (filled and canceled): removes the order': () => ({
    filled: full('ws_full_done_filled.json').diff,
    canceled: full('ws_full_done_canceled.json').diff.changes,
  }),
  'full change: new size (STP)': () => full('ws_full_change.json').diff,
  'matches last_match -> trade, taker side': () => parseMatchTrade(fixture('ws_matches_last_match.json')),
  'level2 snapshot -> L2 snapshot with the caller-given id and receive time': () =>
    parseLevel2Snapshot(fixture('ws_level2_snapshot.json'), 1, 1700000000000),
  'level2 l2update -> diff of absolute sizes: buy = bid, sell = ask, 0 removes': () =>
    parseLevel2Update(fixture('ws_level2_l2update.json'), 2),
  heartbeat: () => parseHeartbeat(fixture('ws_heartbeat.json')),
  subscriptions: () => parseSubscriptions(fixture('ws_subscriptions.json')),
});

describe('REST books', () => {
  it('rejects entries of the wrong shape', () => {
    const l2 = fixture('http_get_product_book_level2.json');
    expect(() => parseLevel3Snapshot(l2, 'BTC-USD', 0)).toThrow(/order_id/);
    expect(() =>
      parseLevel2BookSnapshot({ sequence: 1, bids: [[37012.5, '1', 1]], asks: [] }, 'BTC-USD', 0),
    ).toThrow(HbError);
    expect(() => parseLevel3Snapshot({ bids: [], asks: [] }, 'BTC-USD', 0)).toThrow(/sequence/);
  });
});

describe('full channel -> order diffs (updateId = sequence)', () => {
  it('match: a buy maker is a taker SELL', () => {
    const buyMaker = parseMatchTrade({ ...fixture('ws_full_match.json'), side: 'buy' });
    expect(buyMaker.side).toBe('sell');
  });

  it('done without price (market order): no change', () => {
    const done = variant('ws_full_done_filled.json', { order_id: TAKER, side: 'buy' }, [
      'price',
      'remaining_size',
    ]);
    expect(parseFullChannelMessage(done).diff.changes).toEqual([]);
  });

  it('change: new price too on a modify; nothing for a market order', () => {
    const modify = variant('ws_full_change.json', {
      reason: 'modify_order',
      old_price: '400.23',
      new_price: '401.00',
    });
    expect(parseFullChannelMessage(modify).diff.changes).toEqual([
      { op: 'change', orderId: MAKER, amount: 5.23512, price: 401 },
    ]);
    const funds = variant('ws_full_change.json', { price: null, old_funds: '10.00', new_funds: '5.00' }, [
      'old_size',
      'new_size',
    ]);
    expect(parseFullChannelMessage(funds).diff.changes).toEqual([]);
  });

  it('activate (sequenced): no change', () => {
    const activate = {
      type: 'activate',
      product_id: 'BTC-USD',
      order_id: NEW_ORDER,
      sequence: 60,
      time: '2023-11-14T22:13:27.028459Z',
    };
    expect(parseFullChannelMessage(activate).diff.changes).toEqual([]);
  });

  it('refuses unknown types, bad sides and done reasons, and missing sequences', () => {
    expect(() => parseFullChannelMessage(fixture('ws_heartbeat.json'))).toThrow(/unknown type/);
    expect(() => parseFullChannelMessage({ ...fixture('ws_full_open.json'), side: 'BUY' })).toThrow(
      /buy\/sell/,
    );
    expect(() =>
      parseFullChannelMessage({ ...fixture('ws_full_done_filled.json'), reason: 'expired' }),
    ).toThrow(/done.reason/);
    const noSeq = fixture('ws_full_open.json');
    delete noSeq['sequence'];
    expect(() => parseFullChannelMessage(noSeq)).toThrow(/sequence/);
  });
});

describe('level2 channel', () => {
  it('refuses malformed changes', () => {
    expect(() =>
      parseLevel2Update({ ...fixture('ws_level2_l2update.json'), changes: [['bid', '1', '1']] }, 1),
    ).toThrow(/side, price, size/);
    expect(() => parseLevel2Snapshot(fixture('ws_level2_l2update.json'), 1, 0)).toThrow(/wrong type/);
  });
});

describe('parseFeedMessage', () => {
  const ctx = { receivedAt: 1700000000000, level2UpdateId: 7 };

  it.each([
    ['ws_full_received.json', 'order_diff'],
    ['ws_full_received_market.json', 'order_diff'],
    ['ws_full_open.json', 'order_diff'],
    ['ws_full_done_filled.json', 'order_diff'],
    ['ws_full_done_canceled.json', 'order_diff'],
    ['ws_full_change.json', 'order_diff'],
    ['ws_full_match.json', 'match'],
    ['ws_user_match_maker.json', 'match'],
    ['ws_matches_last_match.json', 'last_match'],
    ['ws_level2_snapshot.json', 'level2_snapshot'],
    ['ws_level2_l2update.json', 'level2_update'],
    ['ws_heartbeat.json', 'heartbeat'],
    ['ws_subscriptions.json', 'subscriptions'],
    ['ws_error.json', 'error'],
  ])('%s -> %s', (name, kind) => {
    expect(parseFeedMessage(fixture(name), ctx).kind).toBe(kind);
  });

  it('carries the parsed values', () => {
    const match = parseFeedMessage(fixture('ws_full_match.json'), ctx);
    expect(match).toEqual({ kind: 'match', ...parseFullChannelMessage(fixture('ws_full_match.json')) });
    expect(parseFeedMessage(fixture('ws_level2_l2update.json'), ctx)).toEqual({
      kind: 'level2_update',
      diff: parseLevel2Update(fixture('ws_level2_l2update.json'), 7),
    });
    const error = parseFeedMessage(fixture('ws_error.json'), ctx);
    expect(error).toMatchObject({
      kind: 'error',
      message: 'Failed to subscribe',
      reason: 'BTC-XYZ is not a valid product',
    });
  });

  it('ignores unknown types and unsequenced activates, as clients must', () => {
    expect(parseFeedMessage({ type: 'ticker', product_id: 'BTC-USD' }, ctx)).toEqual({
      kind: 'ignored',
      type: 'ticker',
    });
    expect(parseFeedMessage({ type: 'activate', product_id: 'BTC-USD', order_id: NEW_ORDER }, ctx)).toEqual({
      kind: 'ignored',
      type: 'activate',
    });
    expect(() => parseFeedMessage([], ctx)).toThrow(/not an object/);
  });
});

describe('a level-3 book through core ActiveOrderTracker + OrderBook', () => {
  const S = 13051505638;

  /** A fixture frame re-sequenced (and otherwise changed) to follow the snapshot. */
  function frame(name: string, seq: number, changes: Json = {}): OrderDiffMessage {
    return parseFullChannelMessage({ ...fixture(name), ...changes, sequence: S + seq }).diff;
  }

  /**
   * The book's levels with amounts at Coinbase's 8-decimal size grid: the book
   * sums plain floats (0.2 + 0.112 + 0.1 is 0.41200000000000003), so exact
   * decimal levels are compared on that grid.
   */
  function levels(book: OrderBook): { bids: [number, number][]; asks: [number, number][] } {
    const grid = ([p, a]: [number, number]): [number, number] => [p, Number(a.toFixed(8))];
    return { bids: [...book.bidEntries()].map(grid), asks: [...book.askEntries()].map(grid) };
  }

  it('open, partial match, change, done filled, done canceled and a market order give the exact levels', () => {
    const book = new OrderBook('BTC-USD');
    const tracker = new ActiveOrderTracker(book);
    tracker.applySnapshot(parseLevel3Snapshot(fixture('http_get_product_book_level3.json'), 'BTC-USD', 0));
    expect(levels(book)).toEqual({
      bids: [
        [37012.5, 0.412],
        [37012.49, 1],
      ],
      asks: [[37012.51, 2.1045]],
    });

    const steps: [OrderDiffMessage, { bids: [number, number][]; asks: [number, number][] }][] = [];
    const apply = (diff: OrderDiffMessage): void => {
      // The feed is consecutive: each message is exactly the next one.
      expect(consecutiveSequenceRule.classify(diff, book.lastUpdateId)).toBe('apply');
      tracker.applyDiff(diff);
      steps.push([diff, levels(book)]);
    };

    // A new limit bid is received (no change), then opens at 37000.10 with 1.00.
    apply(frame('ws_full_received.json', 1));
    expect(levels(book).bids).toEqual([
      [37012.5, 0.412],
      [37012.49, 1],
    ]);
    apply(frame('ws_full_open.json', 2));
    expect(levels(book).bids).toEqual([
      [37012.5, 0.412],
      [37012.49, 1],
      [37000.1, 1],
    ]);

    // A market buy arrives: funds, no price, never on the book.
    apply(frame('ws_full_received_market.json', 3));
    expect(levels(book).asks).toEqual([[37012.51, 2.1045]]);

    // It partially fills the resting 2.0 ask (maker ac928c66) by 0.5.
    apply(frame('ws_full_match.json', 4, { size: '0.50000000' }));
    expect(levels(book).asks).toEqual([[37012.51, 1.6045]]);
    expect(tracker.getOrder(MAKER)?.amount).toBe(1.5);

    // STP decrements the same ask to 1.2.
    apply(
      frame('ws_full_change.json', 5, { old_size: '1.50000000', new_size: '1.20000000', price: '37012.51' }),
    );
    expect(levels(book).asks).toEqual([[37012.51, 1.3045]]);

    // The market order then takes the rest of it: a match for 1.2, then done filled.
    apply(frame('ws_full_match.json', 6, { size: '1.20000000' }));
    expect(tracker.getOrder(MAKER)).toBeUndefined();
    apply(frame('ws_full_done_filled.json', 7));
    expect(levels(book).asks).toEqual([[37012.51, 0.1045]]);

    // The market order is done: no price, so nothing to remove.
    apply(
      parseFullChannelMessage(
        variant('ws_full_done_filled.json', { order_id: TAKER, side: 'buy', sequence: S + 8 }, [
          'price',
          'remaining_size',
        ]),
      ).diff,
    );
    expect(levels(book).asks).toEqual([[37012.51, 0.1045]]);

    // The new bid is canceled: its level disappears.
    apply(frame('ws_full_done_canceled.json', 9));
    expect(levels(book)).toEqual({
      bids: [
        [37012.5, 0.412],
        [37012.49, 1],
      ],
      asks: [[37012.51, 0.1045]],
    });

    // A modify moves the 37012.49 bid to 37012.48 with a new size.
    apply(
      frame('ws_full_change.json', 10, {
        reason: 'modify_order',
        order_id: '0f1e2d3c-4b5a-4697-8877-665544332211',
        side: 'buy',
        price: '37012.49',
        old_size: '1.00000000',
        new_size: '0.70000000',
        old_price: '37012.49',
        new_price: '37012.48',
      }),
    );
    expect(levels(book).bids).toEqual([
      [37012.5, 0.412],
      [37012.48, 0.7],
    ]);

    // A done for an order that never opened (not on the book) changes nothing.
    apply(frame('ws_full_done_canceled.json', 11, { order_id: '11111111-2222-4333-8444-555555555555' }));
    expect(book.lastUpdateId).toBe(S + 11);
    expect(levels(book)).toEqual({
      bids: [
        [37012.5, 0.412],
        [37012.48, 0.7],
      ],
      asks: [[37012.51, 0.1045]],
    });
    expect(tracker.orderCount).toBe(5);
    expect(steps).toHaveLength(11);
  });

  it('stale and gapped messages are told apart by the consecutive rule on updateId = sequence', () => {
    const book = new OrderBook('BTC-USD');
    new ActiveOrderTracker(book).applySnapshot(
      parseLevel3Snapshot(fixture('http_get_product_book_level3.json'), 'BTC-USD', 0),
    );
    expect(consecutiveSequenceRule.classify(frame('ws_full_open.json', 0), book.lastUpdateId)).toBe('stale');
    expect(consecutiveSequenceRule.classify(frame('ws_full_open.json', 2), book.lastUpdateId)).toBe('gap');
  });
});
