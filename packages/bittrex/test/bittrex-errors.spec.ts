// Error classification (the shared error-table suite): every row of Bittrex's
// table decides a documented code, 5xx are unknown outcomes, a body that is not
// `{code, detail}` falls back on the status, Retry-After is read. Bittrex's
// own: the hub's `{"Success": false, "ErrorCode": ...}` refusals.
import { expect, it } from '@jest/globals';
import type { ErrorReason } from '@hb/core/connector';
import { describeErrorTable, type ErrorTableCase } from '@hb/testing/suites';
import {
  BITTREX_ERROR_TABLE,
  classifyBittrexError,
  classifyBittrexSocketError,
} from '../src/bittrex-errors.js';
import { fixture } from './fixtures.js';

/** Status, code, reason, retryable: one documented refusal per row (bittrex.md §7). */
const ROWS: ReadonlyArray<readonly [number, string, ErrorReason, boolean]> = [
  [429, 'THROTTLED', 'rate_limit', true],
  [401, 'APIKEY_INVALID', 'authentication', false],
  [401, 'INVALID_APIKEY', 'authentication', false],
  [401, 'INVALID_SIGNATURE', 'authentication', false],
  [401, 'INVALID_TIMESTAMP', 'authentication', true],
  [403, 'NOT_ALLOWED', 'authentication', false],
  [403, 'ACCOUNT_DISABLED', 'authentication', false],
  [403, 'INVALID_RESTRICTED_ACCOUNT', 'authentication', false],
  [401, 'UNAUTHORIZED', 'authentication', false],
  [409, 'INSUFFICIENT_FUNDS', 'insufficient_funds', false],
  [409, 'INSUFFICIENT_AWARDS', 'insufficient_funds', false],
  [400, 'MIN_TRADE_REQUIREMENT_NOT_MET', 'invalid_order', false],
  [400, 'DUST_TRADE_DISALLOWED_MIN_VALUE', 'invalid_order', false],
  [400, 'RATE_PRECISION_NOT_ALLOWED', 'invalid_order', false],
  [400, 'INVALID_ORDER_TYPE', 'invalid_order', false],
  [400, 'ORDER_TYPE_INVALID', 'invalid_order', false],
  [400, 'INVALID_MARKET_ORDER', 'invalid_order', false],
  [400, 'MARKET_NAME_REVERSED', 'invalid_order', false],
  [404, 'MARKET_DOES_NOT_EXIST', 'invalid_order', false],
  [404, 'CURRENCY_DOES_NOT_EXIST', 'invalid_order', false],
  [409, 'POST_ONLY', 'invalid_order', false],
  [409, 'FILL_OR_KILL', 'invalid_order', false],
  [409, 'SELF_TRADE', 'invalid_order', false],
  [409, 'MAX_ORDERS_ALLOWED', 'invalid_order', false],
  [409, 'ORDERBOOK_DEPTH', 'invalid_order', false],
  [409, 'CLIENTORDERID_ALREADY_EXISTS', 'invalid_order', false],
  [400, 'INVALID_NEXT_PAGE_TOKEN', 'invalid_order', false],
  [400, 'BAD_REQUEST', 'invalid_order', false],
  [503, 'MARKET_OFFLINE', 'unavailable', true],
  [409, 'MARKET_OFFLINE', 'invalid_order', false],
  [503, 'CURRENCY_OFFLINE', 'unavailable', true],
  [404, 'ORDER_DOES_NOT_EXIST', 'order_not_found', false],
  [409, 'ORDER_NOT_OPEN', 'order_not_found', false],
];

/** A 5xx is always an unknown outcome; no Bittrex 4xx is. */
const CASES: readonly ErrorTableCase[] = ROWS.map(([status, code, reason, retryable]) => ({
  status,
  code,
  message: 'some detail',
  reason,
  retryable,
  outcomeUnknown: status >= 500,
}));

describeErrorTable(
  {
    exchange: 'bittrex',
    classify: classifyBittrexError,
    table: BITTREX_ERROR_TABLE,
    body: (c) => ({ code: c.code, detail: c.message }),
    cases: CASES,
    serverErrors: [
      [500, undefined],
      [502, '<html>Bad Gateway</html>'],
      [500, { code: 'INSUFFICIENT_FUNDS' }],
      [503, { code: 'ORDER_DOES_NOT_EXIST', detail: 'not found' }],
    ],
    rateLimitBody: { code: 'THROTTLED' },
    recorded: (
      [
        ['http_error_insufficient_funds', 'insufficient_funds'],
        ['http_error_invalid_signature', 'authentication'],
        ['http_error_min_trade_requirement_not_met', 'invalid_order'],
        ['http_error_throttled', 'rate_limit'],
      ] as const
    ).map(([name, reason]) => {
      const { status, body } = fixture<{ status: number; body: unknown }>(name);
      return [name, status, body, reason] as const;
    }),
  },
  () => {
    it('an unknown code falls back on the status', () => {
      expect(classifyBittrexError(404, { code: 'SOMETHING_NEW' }).reason).toBe('order_not_found');
      expect(classifyBittrexError(400, '{"code":"POST_ONLY"}').exchangeCode).toBe('POST_ONLY');
    });

    it('socket refusals (Authenticate, Subscribe) go through the same table', () => {
      expect(classifyBittrexSocketError('INVALID_APIKEY', 'Authenticate refused').reason).toBe(
        'authentication',
      );
      expect(classifyBittrexSocketError('INVALID_SIGNATURE', 'Authenticate refused').retryable).toBe(false);
      expect(classifyBittrexSocketError('UNAUTHORIZED', 'subscription').retryable).toBe(false);
      expect(classifyBittrexSocketError(undefined, 'x').reason).toBe('unknown');
    });
  },
);
