// Huobi's err-code table through the shared classifier checks (every row decides
// a case; JSON text as parsed; a 5xx is an unknown outcome whatever its body; a
// body that is not Huobi's falls back on the status; Retry-After), then what is
// Huobi's own: errors answered with HTTP 200 (`huobiBodyError` on every 2xx
// body), v2 `code` bodies, a refused timestamp that is retryable (the clock is
// re-synced), and the account stream's codes.
import type { ErrorReason } from '@hb/core/connector';
import { describeErrorTable, type ErrorTableCase } from '@hb/testing/suites';
import {
  HUOBI_ERROR_TABLE,
  classifyHuobiError,
  classifyHuobiWsV2Error,
  huobiBodyError,
} from '../src/huobi-errors.js';
import { fixture } from './fixture.js';

/** A refusal answered with HTTP 200, as Huobi answers them. */
function refusal(
  code: string,
  message: string,
  reason: ErrorReason,
  flags: { readonly retryable?: boolean; readonly outcomeUnknown?: boolean } = {},
): ErrorTableCase {
  return {
    status: 200,
    code,
    message,
    reason,
    retryable: flags.retryable ?? false,
    outcomeUnknown: flags.outcomeUnknown ?? false,
  };
}

const CASES: readonly ErrorTableCase[] = [
  // Authentication (huobi.md §6); a refused timestamp is clock drift: retryable.
  refusal(
    'api-signature-not-valid',
    'Signature not valid: Invalid submission time or incorrect time format',
    'authentication',
    { retryable: true },
  ),
  refusal('api-signature-not-valid', 'Signature not valid: Incorrect Access key', 'authentication'),
  refusal('api-signature-not-valid', 'Signature not valid: Verification failure', 'authentication'),
  refusal('login-required', 'Signature not found', 'authentication'),
  refusal('account-account-id-inexistent', 'The account does not exist', 'authentication'),
  // Funds, order rules, lookups (§7 "Notable trading error codes").
  refusal('order-accountbalance-error', 'account balance insufficient error', 'insufficient_funds'),
  refusal('order-limitorder-amount-min-error', 'limit order amount error, min: 0.0001', 'invalid_order'),
  refusal('order-limitorder-amount-max-error', 'limit order amount error, max: 1000', 'invalid_order'),
  refusal('order-marketorder-amount-min-error', 'market order amount error, min: 0.0001', 'invalid_order'),
  refusal('order-value-min-error', 'Order total cannot be lower than: 5', 'invalid_order'),
  refusal('order-orderprice-precision-error', 'order price precision error, scale: 2', 'invalid_order'),
  refusal('order-orderamount-precision-error', 'order amount precision error, scale: 6', 'invalid_order'),
  refusal('order-invalid-price', 'invalid price', 'invalid_order'),
  refusal('order-limitorder-price-min-error', 'limit order price error', 'invalid_order'),
  refusal('order-limitorder-price-max-error', 'limit order price error', 'invalid_order'),
  refusal('order-type-invalid', 'order type invalid', 'invalid_order'),
  refusal('order-orderstate-error', 'Incorrect order state', 'invalid_order'),
  refusal('order-disabled', 'order disabled', 'invalid_order'),
  refusal('base-symbol-trade-disabled', 'symbol trade disabled', 'invalid_order'),
  refusal('invalid-client-order-id', 'invalid client order id', 'invalid_order'),
  refusal('base-argument-unsupported', 'argument unsupported', 'invalid_order'),
  refusal('validation-constraints-required', 'Field is missing: account-id', 'invalid_order'),
  refusal('invalid-parameter', 'invalid symbol', 'invalid_order'),
  refusal('base-record-invalid', 'record invalid', 'order_not_found'),
  refusal('base-not-found', 'order not found', 'order_not_found'),
  refusal('not-found', 'not found', 'order_not_found'),
  refusal('gateway-internal-error', 'internal error', 'unavailable', {
    retryable: true,
    outcomeUnknown: true,
  }),
  // Codes the table maps that the stored notes name as unconfirmed or do not
  // list (HTX's wider code list); their texts here are placeholders.
  refusal('api-signature-check-failed', 'signature check failed', 'authentication'),
  refusal('api-key-invalid', 'api key invalid', 'authentication'),
  refusal('account-balance-insufficient-error', 'balance insufficient', 'insufficient_funds'),
  refusal('order-marketorder-amount-max-error', 'market order amount error, max: 100', 'invalid_order'),
  refusal('base-symbol-error', 'symbol error', 'invalid_order'),
  // A REST rate-limit refusal's shape is not documented (huobi.md §9): by code, or by the
  // market socket's text.
  refusal('too-many-request', 'Exceeded rate limit', 'rate_limit', { retryable: true }),
  refusal('bad-request', '429 too many request', 'rate_limit', { retryable: true }),
  refusal('base-system-error', 'system error', 'unavailable', { retryable: true, outcomeUnknown: true }),
  refusal('sys-maintenance', 'system maintenance', 'unavailable', { retryable: true, outcomeUnknown: true }),
];

describeErrorTable(
  {
    exchange: 'huobi',
    classify: classifyHuobiError,
    table: HUOBI_ERROR_TABLE,
    body: (c) => ({ status: 'error', 'err-code': c.code, 'err-msg': c.message, data: null }),
    cases: CASES,
    serverErrors: [
      [500, { status: 'error', 'err-code': 'order-accountbalance-error', 'err-msg': 'x', data: null }],
      [502, '<html><body>502 Bad Gateway</body></html>'],
      [503, undefined],
      [504, ''],
    ],
    rateLimitBody: { status: 'error', 'err-code': 'too-many-request', 'err-msg': 'Exceeded rate limit' },
    recorded: [
      ['balance', 200, fixture('http_error_order_accountbalance.json'), 'insufficient_funds'],
      ['wrong key', 200, fixture('http_error_signature_not_valid.json'), 'authentication'],
      ['timestamp', 200, fixture('http_error_signature_timestamp.json'), 'authentication'],
      ['order state', 200, fixture('http_error_order_orderstate.json'), 'invalid_order'],
      ['no such order', 200, fixture('http_error_base_record_invalid.json'), 'order_not_found'],
    ],
  },
  () => {
    it('an unknown code is `unknown`: a placement with that answer is looked up, never failed blindly', () => {
      const e = huobiBodyError({ status: 'error', 'err-code': 'something-new', 'err-msg': 'x' }, 200);
      expect(e).toMatchObject({ reason: 'unknown', outcomeUnknown: true });
    });

    it('2xx bodies: the recorded refusals are errors with their code and status 200', () => {
      expect(huobiBodyError(fixture('http_error_order_orderstate.json'), 200)).toMatchObject({
        reason: 'invalid_order',
        exchangeCode: 'order-orderstate-error',
        httpStatus: 200,
      });
      // The refused timestamp is retryable: the REST client re-syncs the clock and resends once.
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

    it("an HTTP error with Huobi's body: the table when the code is in it, else the status", () => {
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
  },
);
