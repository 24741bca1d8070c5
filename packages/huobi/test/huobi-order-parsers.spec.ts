// The order path's parsers on documented payloads (the shared parse-then-compare:
// test/expected/order-parsers.json): REST answers and account-stream pushes.
// Huobi's own: the cancel-by-client-id codes, the order-state table, a mode-1
// balance push, a push for a symbol never listed.
import { SymbolMap } from '@hb/core/connector';
import { describeDecoding, type DecodingCases } from '@hb/testing/suites';
import {
  HUOBI_ORDER_STATES,
  parseAccountStreamPush,
  parseBalances,
  parseCancelByClientOrderIdAnswer,
  parseMatchResults,
  parseOpenOrders,
  parseOrderAnswer,
  parsePlaceOrderAnswer,
  parseSpotAccountId,
  toOrderState,
} from '../src/huobi-order-parsers.js';
import { fixture } from './fixture.js';

const symbols = new SymbolMap('huobi', [{ symbol: 'btcusdt', baseAsset: 'BTC', quoteAsset: 'USDT' }]);

/** Each documented payload and its decoding; what it decodes to is in expected/order-parsers.json. */
const CASES = {
  'http_post_order_place.json: the order id, a numeric string': () =>
    parsePlaceOrderAnswer(fixture('http_post_order_place.json')),
  'http_get_account_accounts.json: the spot account among several': () =>
    parseSpotAccountId(fixture('http_get_account_accounts.json')),
  'http_post_submit_cancel_client_order.json: the cancel was submitted': () =>
    parseCancelByClientOrderIdAnswer(fixture('http_post_submit_cancel_client_order.json')),
  'http_get_account_balance.json: trade = available, trade + frozen = total, currencies upper-cased': () =>
    parseBalances(fixture('http_get_account_balance.json'), 7),
  'http_get_order_get_client_order.json: an order lookup (`field-*` spelling)': () =>
    parseOrderAnswer(fixture('http_get_order_get_client_order.json'), symbols),
  'http_get_open_orders.json: open orders (`filled-*` spelling)': () =>
    parseOpenOrders(fixture('http_get_open_orders.json'), symbols),
  'http_get_order_matchresults.json: a fill with the fee charged, maker role, `trade-id`': () =>
    parseMatchResults(fixture('http_get_order_matchresults.json'), symbols),
  'ws_orders_creation.json: orders# creation': () =>
    parseAccountStreamPush(fixture('ws_orders_creation.json'), symbols),
  'ws_orders_trade.json: orders# trade, the cumulative base filled': () =>
    parseAccountStreamPush(fixture('ws_orders_trade.json'), symbols),
  'ws_orders_cancellation.json: orders# cancellation': () =>
    parseAccountStreamPush(fixture('ws_orders_cancellation.json'), symbols),
  'ws_trade_clearing_trade.json: trade.clearing# fill with the fee charged, maker from `aggressor: false`':
    () => parseAccountStreamPush(fixture('ws_trade_clearing_trade.json'), symbols),
  'ws_accounts_update_mode2.json: accounts.update#2, balance the total and available the free part': () =>
    parseAccountStreamPush(fixture('ws_accounts_update_mode2.json'), symbols),
} satisfies DecodingCases;

describeDecoding(__dirname, 'order-parsers', CASES, () => {
  it('cancel-by-client-id codes: 0 not found, 5/6/7/10 final', () => {
    expect(parseCancelByClientOrderIdAnswer({ status: 'ok', data: 0 })).toBe('not_found');
    expect(parseCancelByClientOrderIdAnswer({ status: 'ok', data: 6 })).toBe('final');
  });

  it('every documented order state maps; an unknown one is malformed', () => {
    expect(Object.keys(HUOBI_ORDER_STATES).sort()).toEqual(
      [
        'canceled',
        'canceling',
        'created',
        'filled',
        'partial-canceled',
        'partial-filled',
        'rejected',
        'submitted',
      ].sort(),
    );
    expect(toOrderState('partial-canceled')).toBe('CANCELED');
    expect(toOrderState('canceling')).toBe('PENDING_CANCEL');
    expect(() => toOrderState('weird')).toThrow(/malformed/);
  });

  it('accounts.update#1 sends the values separately: no absolute balance can be made from one', () => {
    expect(
      parseAccountStreamPush(
        { action: 'push', ch: 'accounts.update#1', data: { currency: 'usdt', balance: '1' } },
        symbols,
      ),
    ).toEqual([]);
  });

  it('a push for a symbol never listed is malformed (reported, not guessed)', () => {
    const f = fixture('ws_orders_creation.json') as { data: Record<string, unknown> };
    expect(() => parseAccountStreamPush({ ...f, data: { ...f.data, symbol: 'zzzusdt' } }, symbols)).toThrow(
      /unknown symbol/,
    );
  });
});
