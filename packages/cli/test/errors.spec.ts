import { HbError, OrderRuleError } from '@hb/core';
import { CliError, formatErrorLine } from '../src/errors.js';

describe('error lines', () => {
  it('says which exchange, what failed, and the exchange code and message', () => {
    const auth = new HbError(
      'authentication',
      'binance: code -2015: Invalid API-key, IP, or permissions for action.',
      { exchange: 'binance', exchangeCode: -2015, httpStatus: 401 },
    );
    expect(formatErrorLine(auth, { exchange: 'binance' })).toBe(
      'hb: binance: authentication rejected: -2015 Invalid API-key, IP, or permissions for action.',
    );
    const funds = new HbError(
      'insufficient_funds',
      'binance: code -2010: Account has insufficient balance for requested action.',
      { exchange: 'binance', exchangeCode: -2010 },
    );
    expect(formatErrorLine(funds)).toBe(
      'hb: binance: order rejected: insufficient balance: -2010 Account has insufficient balance for requested action.',
    );
  });

  it('names the broken trading rule of an order refused before sending', () => {
    const e = new OrderRuleError(
      'min_order_size',
      'amount 0.000001 is below the minimum order size 0.00001 for BTC-USDT',
    );
    expect(formatErrorLine(e, { exchange: 'binance' })).toBe(
      'hb: binance: order rejected: below the minimum order size: amount 0.000001 is below the minimum order size 0.00001 for BTC-USDT',
    );
  });

  it('gives the URL tried and the system code when a host is unreachable', () => {
    const cause = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5'), { code: 'ECONNREFUSED' }),
    });
    const e = new HbError('network', 'binance: network error on GET /api/v3/exchangeInfo', {
      exchange: 'binance',
      cause,
    });
    expect(formatErrorLine(e, { exchange: 'binance', url: 'http://127.0.0.1:5' })).toBe(
      'hb: binance: cannot reach http://127.0.0.1:5: network error on GET /api/v3/exchangeInfo (ECONNREFUSED)',
    );
  });

  it('falls back to the innermost cause message, with any URL cut out', () => {
    const cause = new TypeError('fetch failed', {
      cause: new Error('bad port http://127.0.0.1:1/api/v3/account?signature=abc'),
    });
    const e = new HbError('network', 'binance: network error on GET /api/v3/account', {
      exchange: 'binance',
      cause,
    });
    expect(formatErrorLine(e, { exchange: 'binance' })).toBe(
      'hb: binance: exchange unreachable: network error on GET /api/v3/account (bad port <url>)',
    );
  });

  it('formats the CLI own errors and anything else, always on one line', () => {
    expect(
      formatErrorLine(
        new CliError({ exchange: 'nope', what: 'unknown exchange', detail: 'installed: binance' }),
      ),
    ).toBe('hb: nope: unknown exchange: installed: binance');
    expect(
      formatErrorLine(new Error('first\nsecond'), { exchange: 'binance', operation: 'connecting' }),
    ).toBe('hb: binance: connecting failed: first second');
    expect(formatErrorLine('text')).toBe('hb: unexpected error: text');
  });
});
