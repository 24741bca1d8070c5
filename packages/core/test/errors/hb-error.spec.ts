import {
  classifyExchangeError,
  HbError,
  OrderRuleError,
  reasonFromHttpStatus,
  type ErrorMapping,
} from '../../src/kit/index.js';

const table: ErrorMapping[] = [
  { code: -2010, message: /insufficient balance/i, reason: 'insufficient_funds' },
  { code: -2010, message: /immediately match/i, reason: 'invalid_order' },
  { code: -1021, reason: 'authentication', retryable: true },
];

describe('classifyExchangeError', () => {
  it('matches code and message together', () => {
    const e = classifyExchangeError(table, {
      exchange: 'x',
      code: -2010,
      message: 'Account has insufficient balance for requested action.',
      httpStatus: 400,
    });
    expect(e.reason).toBe('insufficient_funds');
    expect(e.retryable).toBe(false);
    expect(e.exchangeCode).toBe(-2010);
    expect(e.message).toBe('x: code -2010: Account has insufficient balance for requested action.');
  });

  it('lets a row override retryability', () => {
    expect(classifyExchangeError(table, { exchange: 'x', code: '-1021' }).retryable).toBe(true);
  });

  it('falls back on the HTTP status', () => {
    const e = classifyExchangeError(table, { exchange: 'x', code: -9999, httpStatus: 503 });
    expect(e.reason).toBe('unavailable');
    expect(e.retryable).toBe(true);
    expect(e.outcomeUnknown).toBe(true);
  });

  it.each([
    [401, 'authentication'],
    [403, 'authentication'],
    [404, 'order_not_found'],
    [418, 'rate_limit'],
    [429, 'rate_limit'],
    [400, 'invalid_order'],
    [504, 'timeout'],
    [500, 'unavailable'],
    [undefined, 'unknown'],
  ] as const)('HTTP %s -> %s', (status, reason) => {
    expect(reasonFromHttpStatus(status)).toBe(reason);
  });
});

describe('HbError', () => {
  it('serialises without cause or stack', () => {
    const e = new HbError('timeout', 'request timed out', { cause: new Error('secret-bearing inner') });
    expect(JSON.stringify(e)).not.toContain('secret-bearing');
    expect(e.outcomeUnknown).toBe(true);
  });

  it('OrderRuleError names the broken rule and is never retryable', () => {
    const e = new OrderRuleError('min_order_size', 'amount 0.001 is below the minimum 0.01');
    expect(e).toBeInstanceOf(HbError);
    expect(e.reason).toBe('invalid_order');
    expect(e.rule).toBe('min_order_size');
    expect(e.retryable).toBe(false);
    expect(e.outcomeUnknown).toBe(false);
  });
});
