import { fixtureReader } from '@hb/testing';
import { retryAfterMs, type ErrorReason } from '@hb/core/connector';
import { BINANCE_ERROR_TABLE, classifyBinanceError } from '../src/binance-errors.js';

const fixture = fixtureReader(__dirname);

interface Case {
  readonly status: number;
  readonly code: number;
  readonly msg: string;
  readonly reason: ErrorReason;
  readonly retryable: boolean;
  readonly outcomeUnknown: boolean;
}

// Exchange code + message in, reason out: one case per row of BINANCE_ERROR_TABLE at least.
const CASES: readonly Case[] = [
  {
    status: 500,
    code: -1000,
    msg: 'An unknown error occured while processing the request.',
    reason: 'unknown',
    retryable: false,
    outcomeUnknown: true,
  },
  {
    status: 400,
    code: -1001,
    msg: 'Internal error; unable to process your request. Please try again.',
    reason: 'unavailable',
    retryable: true,
    outcomeUnknown: true,
  },
  {
    status: 400,
    code: -1006,
    msg: 'An unexpected response was received from the message bus. Execution status unknown.',
    reason: 'unknown',
    retryable: false,
    outcomeUnknown: true,
  },
  {
    status: 408,
    code: -1007,
    msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
    reason: 'timeout',
    retryable: true,
    outcomeUnknown: true,
  },
  {
    status: 400,
    code: -1008,
    msg: 'Server is currently overloaded with other requests. Please try again in a few minutes.',
    reason: 'unavailable',
    retryable: true,
    outcomeUnknown: true,
  },
  {
    status: 400,
    code: -1016,
    msg: 'This service is no longer available.',
    reason: 'unavailable',
    retryable: false,
    outcomeUnknown: true,
  },
  {
    status: 429,
    code: -1003,
    msg: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE.',
    reason: 'rate_limit',
    retryable: true,
    outcomeUnknown: false,
  },
  {
    status: 418,
    code: -1003,
    msg: 'Way too much request weight used; IP banned until 1700000120000.',
    reason: 'rate_limit',
    retryable: true,
    outcomeUnknown: false,
  },
  {
    status: 429,
    code: -1015,
    msg: 'Too many new orders; current limit is 100 orders per 10 SECOND.',
    reason: 'rate_limit',
    retryable: true,
    outcomeUnknown: false,
  },
  {
    status: 401,
    code: -1002,
    msg: 'You are not authorized to execute this request.',
    reason: 'authentication',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1021,
    msg: 'Timestamp for this request is outside of the recvWindow.',
    reason: 'authentication',
    retryable: true,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1021,
    msg: "Timestamp for this request was 1000ms ahead of the server's time.",
    reason: 'authentication',
    retryable: true,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1022,
    msg: 'Signature for this request is not valid.',
    reason: 'authentication',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 401,
    code: -2014,
    msg: 'API-key format invalid.',
    reason: 'authentication',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 401,
    code: -2015,
    msg: 'Invalid API-key, IP, or permissions for action.',
    reason: 'authentication',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1125,
    msg: 'This listenKey does not exist.',
    reason: 'authentication',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -2010,
    msg: 'Account has insufficient balance for requested action.',
    reason: 'insufficient_funds',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -2010,
    msg: 'Order would immediately match and take.',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -2010,
    msg: 'Duplicate order sent.',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -2010,
    msg: 'Market is closed.',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -2010,
    msg: 'Some future rejection text.',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1013,
    msg: 'Filter failure: PRICE_FILTER',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1013,
    msg: 'Filter failure: LOT_SIZE',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1013,
    msg: 'Filter failure: NOTIONAL',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1013,
    msg: 'Filter failure: MIN_NOTIONAL',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1013,
    msg: 'Invalid quantity.',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1100,
    msg: "Illegal characters found in parameter 'newClientOrderId'.",
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1102,
    msg: "Mandatory parameter 'price' was not sent, was empty/null, or malformed.",
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1104,
    msg: 'Not all sent parameters were read; read 8 parameter(s) but was sent 9.',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1106,
    msg: "Parameter 'timeInForce' sent when not required.",
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1111,
    msg: "Parameter 'price' has too much precision.",
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1114,
    msg: 'TimeInForce parameter sent when not required.',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1115,
    msg: 'Invalid timeInForce.',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1116,
    msg: 'Invalid orderType.',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1117,
    msg: 'Invalid side.',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -1121,
    msg: 'Invalid symbol.',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -2011,
    msg: 'Unknown order sent.',
    reason: 'order_not_found',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -2011,
    msg: 'Order was not canceled due to cancel restrictions.',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -2013,
    msg: 'Order does not exist.',
    reason: 'order_not_found',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    code: -2026,
    msg: 'Order was canceled or expired with no executed qty over 90 days ago and has been archived.',
    reason: 'order_not_found',
    retryable: false,
    outcomeUnknown: false,
  },
];

describe('classifyBinanceError: every documented code', () => {
  it.each(CASES.map((c) => [c.code, c.msg, c]))('%i %s', (_code, _msg, c) => {
    const e = classifyBinanceError(c.status, { code: c.code, msg: c.msg });
    expect({ reason: e.reason, retryable: e.retryable, outcomeUnknown: e.outcomeUnknown }).toEqual({
      reason: c.reason,
      retryable: c.retryable,
      outcomeUnknown: c.outcomeUnknown,
    });
    expect(e.exchange).toBe('binance');
    expect(e.exchangeCode).toBe(c.code);
    expect(e.httpStatus).toBe(c.status);
    expect(e.message).toBe(`binance: code ${c.code}: ${c.msg}`);
  });

  it('exercises every row of the table', () => {
    for (const row of BINANCE_ERROR_TABLE) {
      const hit = CASES.some(
        (c) => String(c.code) === String(row.code) && (row.message === undefined || row.message.test(c.msg)),
      );
      expect({ row: `${String(row.code)} ${String(row.message ?? '')}`, hit }).toEqual({
        row: `${String(row.code)} ${String(row.message ?? '')}`,
        hit: true,
      });
    }
  });
});

describe('classifyBinanceError: fixtures', () => {
  it.each([
    ['http_error_invalid_symbol.json', 'invalid_order'],
    ['http_error_insufficient_balance.json', 'insufficient_funds'],
    ['http_error_would_match.json', 'invalid_order'],
    ['http_error_unknown_order.json', 'order_not_found'],
    ['http_error_no_such_order.json', 'order_not_found'],
    ['http_error_filter_failure.json', 'invalid_order'],
    ['http_error_timestamp.json', 'authentication'],
  ] as const)('%s -> %s', (name, reason) => {
    expect(classifyBinanceError(400, fixture(name)).reason).toBe(reason);
  });

  it('accepts the body as raw text', () => {
    const e = classifyBinanceError(400, '{"code": -2013, "msg": "Order does not exist."}');
    expect([e.reason, e.exchangeCode]).toEqual(['order_not_found', -2013]);
  });
});

describe('classifyBinanceError: HTTP status and headers', () => {
  it('reads Retry-After seconds on 429 and 418 (plain object headers, any case)', () => {
    const e429 = classifyBinanceError(
      429,
      { code: -1003, msg: 'Too many requests.' },
      { 'retry-after': '7' },
    );
    expect([e429.reason, e429.retryAfterMs]).toEqual(['rate_limit', 7000]);
    const e418 = classifyBinanceError(
      418,
      { code: -1003, msg: 'Way too much request weight used; IP banned until 1700000120000.' },
      { 'Retry-After': ['120'] },
    );
    expect([e418.reason, e418.retryAfterMs]).toEqual(['rate_limit', 120_000]);
  });

  it('reads Retry-After from a fetch Headers object', () => {
    const e = classifyBinanceError(429, '', new Headers({ 'Retry-After': '3' }));
    expect([e.reason, e.retryAfterMs, e.exchangeCode]).toEqual(['rate_limit', 3000, undefined]);
  });

  it('ignores a Retry-After it cannot read', () => {
    expect(retryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it('treats every 5xx as an unknown outcome, whatever code the body carries', () => {
    for (const [status, body] of [
      [500, undefined],
      [502, '<html>Bad Gateway</html>'],
      [503, { code: -2010, msg: 'Account has insufficient balance for requested action.' }],
      [504, { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' }],
    ] as const) {
      const e = classifyBinanceError(status, body);
      expect({ status, unknown: e.outcomeUnknown, retryable: e.retryable }).toEqual({
        status,
        unknown: true,
        retryable: true,
      });
    }
  });

  it('falls back on the status for bodies without a code (403 WAF block, 404)', () => {
    expect(classifyBinanceError(403, '<html>403 Forbidden</html>').reason).toBe('authentication');
    expect(classifyBinanceError(404, undefined).reason).toBe('order_not_found');
    expect(classifyBinanceError(undefined, undefined).reason).toBe('unknown');
  });
});

describe('a WebSocket API error frame', () => {
  it('is classified (§8a) by its status and error body', () => {
    const frame = {
      id: '7c1f2a3b-0000-4000-8000-000000000001',
      status: 400,
      error: { code: -2010, msg: 'Account has insufficient balance for requested action.' },
    };
    const e = classifyBinanceError(frame.status, frame.error);
    expect([e.reason, e.httpStatus, e.exchangeCode]).toEqual(['insufficient_funds', 400, -2010]);
  });
});
