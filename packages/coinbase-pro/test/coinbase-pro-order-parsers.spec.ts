import { fixtureReader, plainDecimals } from '@hb/testing';
import { describeDecoding } from '@hb/testing/suites';
import BigNumber from 'bignumber.js';
import { InFlightOrder, InFlightOrderTracker, type MarketEvent } from '@hb/core/connector';
import {
  parseAccountBalances,
  parseCancelResponse,
  parseFees,
  parseFills,
  parseOrderUpdate,
  parseOrderUpdates,
  parseUserChannelMessage,
  toOrderState,
} from '../src/coinbase-pro-order-parsers.js';

type Json = Record<string, unknown>;

const fixtureOf = fixtureReader(__dirname);

function fixture(name: string): Json {
  return fixtureOf<Json>(name);
}

const OID = '3f1b9a2e-5c4d-4e6f-8a7b-9c0d1e2f3a4b';
const ORDER_ID = 'a9625b04-fc66-4999-a876-543c3684d702';

/** The fixture with some fields removed (the variants the doc describes in prose). */
function without(name: string, fields: readonly string[]): Json {
  const out = fixture(name);
  for (const k of fields) delete out[k];
  return out;
}

describe('toOrderState', () => {
  it.each([
    ['pending', undefined, 'OPEN'],
    ['received', undefined, 'OPEN'],
    ['open', undefined, 'OPEN'],
    ['active', undefined, 'OPEN'],
    ['done', 'filled', 'FILLED'],
    ['done', 'canceled', 'CANCELED'],
    ['done', 'rejected', 'FAILED'],
    ['rejected', undefined, 'FAILED'],
  ] as const)('%s/%s -> %s', (status, reason, state) => {
    expect(toOrderState(status, reason)).toBe(state);
  });

  it('refuses undocumented statuses and a done without a known reason', () => {
    expect(() => toOrderState('cancelled')).toThrow(expect.objectContaining({ reason: 'malformed_message' }));
    expect(() => toOrderState('done')).toThrow(/done_reason/);
    expect(() => toOrderState('done', 'expired')).toThrow(/done_reason/);
  });
});

// Each fixture (or documented variant) and what it decodes to: test/expected/order-parsers.json.
describeDecoding(__dirname, 'order-parsers', {
  'POST /orders (status pending: accepted by the engine) -> OPEN with both ids': () =>
    parseOrderUpdate(fixture('http_post_orders.json')),
  'GET /orders -> one update per order': () => parseOrderUpdates(fixture('http_get_orders.json')),
  'GET /orders/client:{oid} done+filled -> FILLED at done_at with filled_size': () =>
    parseOrderUpdate(fixture('http_get_order.json')),
  'a pending order with fewer fields and no client_oid': () =>
    parseOrderUpdate(without('http_post_orders.json', ['filled_size', 'client_oid'])),
  'GET /fills -> TradeUpdates: fee as charged in the quote currency, maker from liquidity M': () =>
    parseFills(fixture('http_get_fills.json')),
  'GET /accounts -> balances (total = balance)': () =>
    parseAccountBalances(fixture('http_get_accounts.json'), 1700000000000),
  'GET /fees -> rates': () => parseFees(fixture('http_get_fees.json')),
  'received with client_oid -> OPEN carrying client_oid and order_id': () =>
    parseUserChannelMessage(fixture('ws_full_received.json')),
  'received without client_oid (market order) -> OPEN by order_id': () =>
    parseUserChannelMessage(fixture('ws_full_received_market.json')),
  'open -> OPEN': () => parseUserChannelMessage(fixture('ws_full_open.json')),
  'done filled -> FILLED': () => parseUserChannelMessage(fixture('ws_full_done_filled.json')),
  'done canceled -> CANCELED, cancel_reason as the reason': () =>
    parseUserChannelMessage({ ...fixture('ws_full_done_canceled.json'), cancel_reason: '102' }),
  'match as maker -> a trade for the maker order, fee = size x price x maker_fee_rate': () =>
    parseUserChannelMessage(fixture('ws_user_match_maker.json')),
  'a fill without a fee rate asks for /fills instead of guessing the fee': () =>
    parseUserChannelMessage(without('ws_user_match_maker.json', ['maker_fee_rate'])),
  'change frames are ignored': () => parseUserChannelMessage(fixture('ws_full_change.json')),
  'heartbeat frames are ignored': () => parseUserChannelMessage(fixture('ws_heartbeat.json')),
  'subscriptions frames are ignored': () => parseUserChannelMessage(fixture('ws_subscriptions.json')),
});

describe('REST order answers', () => {
  it('a resting order with fills is PARTIALLY_FILLED; a canceled one keeps its filled amount', () => {
    expect(
      parseOrderUpdate({ ...fixtureOf<Json[]>('http_get_orders.json')[0], filled_size: '0.00040000' })
        .newState,
    ).toBe('PARTIALLY_FILLED');
    const canceled = parseOrderUpdate({
      ...fixture('http_get_order.json'),
      done_reason: 'canceled',
      filled_size: '0.00040000',
    });
    expect(plainDecimals([canceled.newState, canceled.cumulativeFilledAmount, canceled.reason])).toEqual([
      'CANCELED',
      '0.0004',
      undefined,
    ]);
  });

  it('a rejected order is FAILED with the reject reason', () => {
    const rejected = parseOrderUpdate({
      ...fixture('http_get_order.json'),
      done_reason: 'rejected',
      reject_reason: 'post only',
      filled_size: '0',
    });
    expect([rejected.newState, rejected.reason]).toEqual(['FAILED', 'post only']);
    expect(parseOrderUpdate({ ...fixture('http_post_orders.json'), status: 'rejected' }).reason).toBe(
      'rejected',
    );
  });

  it('DELETE -> the echoed id', () => {
    expect(parseCancelResponse(fixtureOf<unknown>('http_delete_order.json'))).toBe(OID);
    expect(() => parseCancelResponse({ message: 'order not found' })).toThrow(/cancel response/);
  });

  it('GET /fills: liquidity T is taker, O is neither; a non-USD book charges in its quote currency', () => {
    const row = fixtureOf<Json[]>('http_get_fills.json')[0];
    expect(parseFills([{ ...row, liquidity: 'T' }])[0]?.isMaker).toBe(false);
    expect(parseFills([{ ...row, liquidity: 'O' }])[0]).not.toHaveProperty('isMaker');
    // On a non-USD book the fee and quote amount are in the quote currency, not usd_volume.
    const eth = parseFills([{ ...row, product_id: 'ETH-BTC', price: '0.05', size: '2' }])[0];
    expect(plainDecimals([eth?.fee.asset, eth?.fillQuoteAmount])).toEqual(['BTC', '0.1']);
  });
});

describe('user channel', () => {
  it('match as taker -> a trade for the taker order with taker_fee_rate', () => {
    const m = fixture('ws_user_match_maker.json');
    for (const k of ['maker_user_id', 'maker_profile_id', 'maker_fee_rate']) delete m[k];
    const taker = {
      ...m,
      taker_user_id: m['user_id'],
      taker_profile_id: m['profile_id'],
      taker_fee_rate: '0.006',
    };
    const event = parseUserChannelMessage(taker);
    expect(plainDecimals(event)).toMatchObject({
      kind: 'updates',
      updates: [
        {
          kind: 'trade',
          update: {
            exchangeOrderId: '132fb6ae-456b-4654-b4e0-d681ac05cea1',
            isMaker: false,
            fee: { amount: '0.15', asset: 'USD' },
          },
        },
      ],
    });
  });

  it('a self-trade gives one trade per own order', () => {
    const m = fixture('ws_user_match_maker.json');
    const both = parseUserChannelMessage({ ...m, taker_user_id: m['user_id'], taker_fee_rate: '0.006' });
    expect(
      both.kind === 'updates'
        ? both.updates.map((u) =>
            u.kind === 'trade' ? [u.update.exchangeOrderId, u.update.isMaker] : u.kind,
          )
        : both,
    ).toEqual([
      [ORDER_ID, true],
      ['132fb6ae-456b-4654-b4e0-d681ac05cea1', false],
    ]);
  });

  it('a public match (no maker_/taker_ fields) is not ours: malformed on the user channel', () => {
    expect(() => parseUserChannelMessage(fixture('ws_full_match.json'))).toThrow(/not our fill/);
  });

  it('drives core InFlightOrderTracker: received -> created, match -> filled once, done -> completed', () => {
    const tracker = new InFlightOrderTracker({ now: () => 0 });
    const events: MarketEvent[] = [];
    tracker.events$.subscribe((e) => events.push(e));
    tracker.startTracking(
      new InFlightOrder({
        clientOrderId: OID,
        tradingPair: 'BTC-USD',
        orderType: 'limit_maker',
        side: 'buy',
        price: new BigNumber('25000'),
        amount: new BigNumber('0.001'),
        creationTimestamp: 0,
      }),
    );
    const feed = (raw: unknown): void => {
      const e = parseUserChannelMessage(raw);
      if (e.kind !== 'updates') return;
      for (const u of e.updates) {
        if (u.kind === 'order') tracker.processOrderUpdate(u.update);
        else if (u.kind === 'trade') tracker.processTradeUpdate(u.update);
      }
    };
    feed({ ...fixture('ws_full_received.json'), order_id: ORDER_ID, size: '0.001', price: '25000.00' });
    feed(fixture('ws_user_match_maker.json'));
    feed(fixture('ws_user_match_maker.json'));
    feed({ ...fixture('ws_full_done_filled.json'), order_id: ORDER_ID, side: 'buy', price: '25000.00' });
    expect(events.map((e) => e.type)).toEqual(['BuyOrderCreated', 'OrderFilled', 'BuyOrderCompleted']);
    expect(tracker.get(OID)?.exchangeOrderId).toBe(ORDER_ID);
  });
});
