// Error classification: every row of the table, case by case, plus the fallbacks.
import { describe, expect, it } from '@jest/globals';
import type { ErrorReason } from '@hb/core/connector';
import {
  BITTREX_ERROR_TABLE,
  classifyBittrexError,
  classifyBittrexSocketError,
} from '../src/bittrex-errors.js';
import { fixture } from './fixtures.js';

const CASES: ReadonlyArray<readonly [number, string, ErrorReason, boolean]> = [
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

describe('classifyBittrexError', () => {
  it.each(CASES)('%i %s -> %s (retryable %s)', (status, code, reason, retryable) => {
    const e = classifyBittrexError(status, { code, detail: 'some detail' });
    expect(e.reason).toBe(reason);
    expect(e.retryable).toBe(retryable);
    expect(e.exchangeCode).toBe(code);
    expect(e.httpStatus).toBe(status);
    expect(e.exchange).toBe('bittrex');
    expect(e.message).toBe(`bittrex: code ${code}: some detail`);
  });

  it('every row of the table has a case', () => {
    const covered = new Set(CASES.map(([, c]) => c));
    for (const row of BITTREX_ERROR_TABLE) expect(covered.has(String(row.code))).toBe(true);
  });

  it('the recorded error bodies', () => {
    for (const [name, reason] of [
      ['http_error_insufficient_funds', 'insufficient_funds'],
      ['http_error_invalid_signature', 'authentication'],
      ['http_error_min_trade_requirement_not_met', 'invalid_order'],
      ['http_error_throttled', 'rate_limit'],
    ] as const) {
      const { status, body } = fixture<{ status: number; body: unknown }>(name);
      expect(classifyBittrexError(status, body).reason).toBe(reason);
    }
  });

  it('a 5xx is an unknown outcome whatever the body says; unknown codes fall back on the status', () => {
    const e = classifyBittrexError(500, { code: 'INSUFFICIENT_FUNDS' });
    expect(e.reason).toBe('unavailable');
    expect(e.outcomeUnknown).toBe(true);
    expect(classifyBittrexError(404, { code: 'SOMETHING_NEW' }).reason).toBe('order_not_found');
    expect(classifyBittrexError(403, 'not json').reason).toBe('authentication');
    expect(classifyBittrexError(400, '{"code":"POST_ONLY"}').exchangeCode).toBe('POST_ONLY');
  });

  it('socket refusals (Authenticate, Subscribe)', () => {
    expect(classifyBittrexSocketError('INVALID_APIKEY', 'Authenticate refused').reason).toBe(
      'authentication',
    );
    expect(classifyBittrexSocketError('UNAUTHORIZED', 'subscription').retryable).toBe(false);
    expect(classifyBittrexSocketError(undefined, 'x').reason).toBe('unknown');
  });
});
