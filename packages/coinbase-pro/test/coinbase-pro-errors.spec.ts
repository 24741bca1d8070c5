import { fixtureReader } from '@hb/testing';
import { retryAfterMs, type ErrorReason } from '@hb/core/connector';
import {
  classifyCoinbaseProError,
  classifyCoinbaseProWsError,
  COINBASE_PRO_ERROR_TABLE,
} from '../src/coinbase-pro-errors.js';

const fixture = fixtureReader(__dirname);

interface Case {
  readonly status: number;
  readonly message: string;
  readonly reason: ErrorReason;
  readonly retryable: boolean;
  readonly outcomeUnknown: boolean;
}

// Status + message in, reason out: at least one case per row of COINBASE_PRO_ERROR_TABLE.
const CASES: readonly Case[] = [
  {
    status: 429,
    message: 'Public rate limit exceeded',
    reason: 'rate_limit',
    retryable: true,
    outcomeUnknown: false,
  },
  {
    status: 429,
    message: 'Private rate limit exceeded',
    reason: 'rate_limit',
    retryable: true,
    outcomeUnknown: false,
  },
  {
    status: 401,
    message: 'Invalid API Key',
    reason: 'authentication',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 401,
    message: 'invalid signature',
    reason: 'authentication',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 401,
    message: 'Invalid Passphrase',
    reason: 'authentication',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 401,
    message: 'request timestamp expired',
    reason: 'authentication',
    retryable: true,
    outcomeUnknown: false,
  },
  {
    status: 400,
    message: 'Insufficient funds',
    reason: 'insufficient_funds',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    message: 'size is too small. Minimum size is 0.00001000',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    message: 'price too small',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    message: 'price too precise',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    message: 'size is too accurate. Smallest unit is 0.00000001',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    message: 'Post only mode',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    message: 'Product not found',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 403,
    message: 'Trading pair not available',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    message: 'Invalid order id',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    message: 'Cancel only mode',
    reason: 'invalid_order',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    message: 'Exchange is under maintenance',
    reason: 'unavailable',
    retryable: true,
    outcomeUnknown: true,
  },
  { status: 404, message: 'NotFound', reason: 'order_not_found', retryable: false, outcomeUnknown: false },
  {
    status: 404,
    message: 'order not found',
    reason: 'order_not_found',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    message: 'order not found',
    reason: 'order_not_found',
    retryable: false,
    outcomeUnknown: false,
  },
  {
    status: 400,
    message: 'Order already done',
    reason: 'order_not_found',
    retryable: false,
    outcomeUnknown: false,
  },
];

describe('classifyCoinbaseProError: every documented message', () => {
  it.each(CASES.map((c) => [c.status, c.message, c]))('%i %s', (_status, _message, c) => {
    const e = classifyCoinbaseProError(c.status, { message: c.message });
    expect({ reason: e.reason, retryable: e.retryable, outcomeUnknown: e.outcomeUnknown }).toEqual({
      reason: c.reason,
      retryable: c.retryable,
      outcomeUnknown: c.outcomeUnknown,
    });
    expect(e.exchange).toBe('coinbase-pro');
    expect(e.exchangeCode).toBeUndefined();
    expect(e.httpStatus).toBe(c.status);
    expect(e.message).toBe(`coinbase-pro: ${c.message}`);
  });

  it('exercises every row of the table', () => {
    for (const row of COINBASE_PRO_ERROR_TABLE) {
      // The first matching row is the one that must be this row.
      const hit = CASES.some((c) => COINBASE_PRO_ERROR_TABLE.find((r) => r.message?.test(c.message)) === row);
      expect({ row: String(row.message), hit }).toEqual({ row: String(row.message), hit: true });
    }
  });
});

describe('classifyCoinbaseProError: fixtures', () => {
  it.each([
    ['http_error_insufficient_funds.json', 400, 'insufficient_funds'],
    ['http_error_product_not_found.json', 400, 'invalid_order'],
    ['http_error_invalid_signature.json', 401, 'authentication'],
    ['http_error_invalid_api_key.json', 401, 'authentication'],
    ['http_error_invalid_passphrase.json', 401, 'authentication'],
    ['http_error_not_found.json', 404, 'order_not_found'],
    ['http_error_order_not_found.json', 404, 'order_not_found'],
    ['http_error_order_already_done.json', 400, 'order_not_found'],
    ['http_error_private_rate_limit.json', 429, 'rate_limit'],
    ['http_error_public_rate_limit.json', 429, 'rate_limit'],
  ] as const)('%s (%i) -> %s', (name, status, reason) => {
    expect(classifyCoinbaseProError(status, fixture(name)).reason).toBe(reason);
  });

  it('accepts the body as raw text', () => {
    const e = classifyCoinbaseProError(400, '{"message": "Insufficient funds"}');
    expect([e.reason, e.message]).toEqual(['insufficient_funds', 'coinbase-pro: Insufficient funds']);
  });
});

describe('classifyCoinbaseProError: HTTP status and headers', () => {
  it('treats every 5xx as unavailable with an unknown outcome, whatever the body says', () => {
    for (const [status, body] of [
      [500, undefined],
      [500, { message: 'Internal server error' }],
      [502, '<html>Bad Gateway</html>'],
      [503, { message: 'Insufficient funds' }],
      [503, { message: 'order not found' }],
    ] as const) {
      const e = classifyCoinbaseProError(status, body);
      expect({ status, unknown: e.outcomeUnknown, retryable: e.retryable }).toEqual({
        status,
        unknown: true,
        retryable: true,
      });
    }
    expect(classifyCoinbaseProError(500, { message: 'Internal server error' }).reason).toBe('unavailable');
  });

  it('falls back on the status for unknown messages and bodies without one', () => {
    expect(classifyCoinbaseProError(401, { message: 'some new auth text' }).reason).toBe('authentication');
    expect(classifyCoinbaseProError(403, '<html>403 Forbidden</html>').reason).toBe('authentication');
    expect(classifyCoinbaseProError(404, undefined).reason).toBe('order_not_found');
    expect(classifyCoinbaseProError(429, '').reason).toBe('rate_limit');
    expect(classifyCoinbaseProError(400, { message: 'some future rejection' }).reason).toBe('invalid_order');
    expect(classifyCoinbaseProError(undefined, undefined).reason).toBe('unknown');
  });

  it('reads a Retry-After when a server sends one (plain object or fetch Headers)', () => {
    expect(
      classifyCoinbaseProError(429, { message: 'Public rate limit exceeded' }, { 'retry-after': '2' })
        .retryAfterMs,
    ).toBe(2000);
    expect(classifyCoinbaseProError(429, '', new Headers({ 'Retry-After': '1' })).retryAfterMs).toBe(1000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs({ 'Retry-After': ['3'] })).toBe(3000);
  });
});

describe('classifyCoinbaseProWsError', () => {
  it('classifies the error fixture (unknown product: nothing specific -> unknown)', () => {
    const frame = fixture('ws_error.json') as { message: string; reason: string };
    const e = classifyCoinbaseProWsError(frame);
    expect([e.reason, e.message]).toEqual([
      'unknown',
      'coinbase-pro: Failed to subscribe: BTC-XYZ is not a valid product',
    ]);
  });

  it('recognises an auth failure in a subscribe refusal', () => {
    expect(
      classifyCoinbaseProWsError({ message: 'Authentication Failed', reason: 'invalid signature' }).reason,
    ).toBe('authentication');
    expect(classifyCoinbaseProWsError({ message: 'Invalid API Key' }).reason).toBe('authentication');
  });
});
