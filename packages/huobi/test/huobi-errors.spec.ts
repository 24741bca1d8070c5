// The err-code table, case by case, and how bodies and statuses are classified.
import {
  HUOBI_ERROR_TABLE,
  classifyHuobiError,
  classifyHuobiWsV2Error,
  huobiBodyError,
} from '../src/huobi-errors.js';
import { fixture } from './fixture.js';

describe('err-code table', () => {
  it.each([
    ['api-signature-not-valid', 'authentication', false],
    ['login-required', 'authentication', false],
    ['account-account-id-inexistent', 'authentication', false],
    ['order-accountbalance-error', 'insufficient_funds', false],
    ['order-limitorder-amount-min-error', 'invalid_order', false],
    ['order-limitorder-amount-max-error', 'invalid_order', false],
    ['order-marketorder-amount-min-error', 'invalid_order', false],
    ['order-value-min-error', 'invalid_order', false],
    ['order-orderprice-precision-error', 'invalid_order', false],
    ['order-orderamount-precision-error', 'invalid_order', false],
    ['order-invalid-price', 'invalid_order', false],
    ['order-limitorder-price-min-error', 'invalid_order', false],
    ['order-limitorder-price-max-error', 'invalid_order', false],
    ['order-type-invalid', 'invalid_order', false],
    ['order-orderstate-error', 'invalid_order', false],
    ['base-symbol-trade-disabled', 'invalid_order', false],
    ['order-disabled', 'invalid_order', false],
    ['invalid-client-order-id', 'invalid_order', false],
    ['base-argument-unsupported', 'invalid_order', false],
    ['validation-constraints-required', 'invalid_order', false],
    ['base-record-invalid', 'order_not_found', false],
    ['base-not-found', 'order_not_found', false],
    ['not-found', 'order_not_found', false],
    ['too-many-request', 'rate_limit', true],
    ['gateway-internal-error', 'unavailable', true],
  ] as const)('%s -> %s (retryable %s)', (code, reason, retryable) => {
    expect(HUOBI_ERROR_TABLE.find((r) => r.code === code)?.reason).toBe(reason);
    const e = huobiBodyError({ status: 'error', 'err-code': code, 'err-msg': 'm', data: null }, 200);
    expect(e).toMatchObject({ reason, retryable, exchangeCode: code, exchange: 'huobi', httpStatus: 200 });
    expect(e?.message).toBe(`huobi: code ${code}: m`);
  });

  it('an unknown code is `unknown`: a placement with that answer is looked up, never failed blindly', () => {
    const e = huobiBodyError({ status: 'error', 'err-code': 'something-new', 'err-msg': 'x' }, 200);
    expect(e).toMatchObject({ reason: 'unknown', outcomeUnknown: true });
  });

  it('recorded error bodies', () => {
    expect(huobiBodyError(fixture('http_error_order_accountbalance.json'), 200)).toMatchObject({
      reason: 'insufficient_funds',
    });
    expect(huobiBodyError(fixture('http_error_signature_not_valid.json'), 200)).toMatchObject({
      reason: 'authentication',
      retryable: false,
    });
    expect(huobiBodyError(fixture('http_error_order_orderstate.json'), 200)).toMatchObject({
      reason: 'invalid_order',
      exchangeCode: 'order-orderstate-error',
    });
    expect(huobiBodyError(fixture('http_error_base_record_invalid.json'), 200)).toMatchObject({
      reason: 'order_not_found',
    });
  });

  it('a refused timestamp is retryable (the REST client re-syncs the clock and resends once)', () => {
    expect(huobiBodyError(fixture('http_error_signature_timestamp.json'), 200)).toMatchObject({
      reason: 'authentication',
      retryable: true,
    });
  });

  it('good answers are not errors (v1 `status: ok`, v2 `code: 200`, bare data)', () => {
    expect(huobiBodyError(fixture('http_post_order_place.json'), 200)).toBeUndefined();
    expect(huobiBodyError({ code: 200, data: [] }, 200)).toBeUndefined();
    expect(huobiBodyError([1, 2], 200)).toBeUndefined();
    // v2 REST codes are not in the notes: an error, reason unknown, code kept.
    expect(huobiBodyError({ code: 1003, message: 'unauthorized' }, 200)).toMatchObject({
      reason: 'unknown',
      exchangeCode: 1003,
    });
  });

  it('HTTP errors: the body when it is Huobi`s, else the status', () => {
    expect(classifyHuobiError(429, 'Too Many Requests', new Headers({ 'retry-after': '2' }))).toMatchObject({
      reason: 'rate_limit',
      httpStatus: 429,
      retryAfterMs: 2000,
    });
    expect(classifyHuobiError(503, '<html>', new Headers())).toMatchObject({
      reason: 'unavailable',
      outcomeUnknown: true,
    });
    expect(
      classifyHuobiError(
        405,
        { status: 'error', 'err-code': 'method-not-allowed', 'err-msg': 'x' },
        new Headers(),
      ),
    ).toMatchObject({
      // Not in the table: by the HTTP status (a 4xx is a refusal of the request).
      reason: 'invalid_order',
      exchangeCode: 'method-not-allowed',
    });
  });

  it('account-stream codes', () => {
    expect(classifyHuobiWsV2Error(2002, 'auth.fail')).toMatchObject({
      reason: 'authentication',
      retryable: false,
    });
    expect(classifyHuobiWsV2Error(4000, 'too.many.request')).toMatchObject({ reason: 'rate_limit' });
    expect(classifyHuobiWsV2Error(2001, 'invalid.ch')).toMatchObject({ reason: 'invalid_order' });
    expect(classifyHuobiWsV2Error(500, 'x')).toMatchObject({ reason: 'unavailable' });
  });
});
