import { fixtureReader } from '@hb/testing';
import { describeErrorTable, type ErrorTableCase } from '@hb/testing/suites';
import {
  classifyCoinbaseProError,
  classifyCoinbaseProWsError,
  COINBASE_PRO_ERROR_TABLE,
} from '../src/coinbase-pro-errors.js';

const fixture = fixtureReader(__dirname);

// Status + message in, reason out: at least one case per row of COINBASE_PRO_ERROR_TABLE.
const CASES: readonly ErrorTableCase[] = [
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

describeErrorTable(
  {
    exchange: 'coinbase-pro',
    classify: classifyCoinbaseProError,
    table: COINBASE_PRO_ERROR_TABLE,
    body: (c) => ({ message: c.message }),
    cases: CASES,
    serverErrors: [
      [500, undefined],
      [500, { message: 'Internal server error' }],
      [502, '<html>Bad Gateway</html>'],
      [503, { message: 'Insufficient funds' }],
      [503, { message: 'order not found' }],
    ],
    rateLimitBody: { message: 'Public rate limit exceeded' },
    recorded: (
      [
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
      ] as const
    ).map(([name, status, reason]) => [name, status, fixture(name), reason] as const),
  },
  () => {
    it('makes a 500 unavailable whatever its message', () => {
      expect(classifyCoinbaseProError(500, { message: 'Internal server error' }).reason).toBe('unavailable');
    });

    it('falls back on the status for messages it does not know', () => {
      expect(classifyCoinbaseProError(401, { message: 'some new auth text' }).reason).toBe('authentication');
      expect(classifyCoinbaseProError(400, { message: 'some future rejection' }).reason).toBe(
        'invalid_order',
      );
    });
  },
);

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
