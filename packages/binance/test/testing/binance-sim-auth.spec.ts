import {
  authenticateRest,
  authenticateWsApi,
  checkTimestamp,
  stripSignature,
  wsApiSigningPayload,
} from '../../src/testing/binance-sim-auth.js';
import { BinanceSimError } from '../../src/testing/binance-sim-errors.js';

// Worked examples of shared/exchanges/binance.md §6.
const SECRET = 'testSecretKey0123456789abcdefABCDEF0123456789abcdefABCDEF01234567';
const secretFor = (k: string): string | undefined => (k === 'testApiKeyABC' ? SECRET : undefined);
const T = 1700000000000;

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof BinanceSimError ? e.code : NaN;
  }
}

describe('simulator authentication (binance.md §6 examples)', () => {
  it('verifies the documented query-only signature', () => {
    const q =
      'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.00100000&price=25000.00&newClientOrderId=hb-test-0001&recvWindow=5000&timestamp=1700000000000';
    const rawQuery = `${q}&signature=2e888408f1fd88c083f0c145148dc002fb5cb76aa3b7cebb02cbe7ad7afb0114`;
    const params = Object.fromEntries(new URLSearchParams(rawQuery));
    expect(authenticateRest({ apiKey: 'testApiKeyABC', rawQuery, body: '', params }, secretFor, T + 10)).toBe(
      'testApiKeyABC',
    );
  });

  it('verifies the documented query + body signature (no separator), signature in the body', () => {
    const rawQuery = 'symbol=BTCUSDT&timestamp=1700000000000';
    const body = 'orderId=12345&signature=d8e63b7c6658e825acab6117ff19a9b4ebf43eb9d27e1f23e98771efcb75c86f';
    const params = {
      ...Object.fromEntries(new URLSearchParams(body)),
      ...Object.fromEntries(new URLSearchParams(rawQuery)),
    };
    expect(authenticateRest({ apiKey: 'testApiKeyABC', rawQuery, body, params }, secretFor, T)).toBe(
      'testApiKeyABC',
    );
    // Upper-case hex is accepted too.
    const upper = { ...params, signature: params.signature.toUpperCase() };
    expect(authenticateRest({ apiKey: 'testApiKeyABC', rawQuery, body, params: upper }, secretFor, T)).toBe(
      'testApiKeyABC',
    );
    // One changed byte of the body breaks it.
    const tampered = body.replace('12345', '12346');
    expect(
      codeOf(() =>
        authenticateRest(
          { apiKey: 'testApiKeyABC', rawQuery, body: tampered, params: { ...params, orderId: '12346' } },
          secretFor,
          T,
        ),
      ),
    ).toBe(-1022);
  });

  it('verifies the documented WS API signature over sorted params', () => {
    const params = {
      timestamp: T,
      apiKey: 'testApiKeyABC',
      signature: 'f05418ca16d568acc2b61b7a21316d56c816bd2a8081d723e2d7f9f3b9e8ffbf',
    };
    expect(wsApiSigningPayload(params)).toBe('apiKey=testApiKeyABC&timestamp=1700000000000');
    expect(authenticateWsApi(params, secretFor, T)).toBe('testApiKeyABC');
    expect(codeOf(() => authenticateWsApi({ ...params, signature: 'ab'.repeat(32) }, secretFor, T))).toBe(
      -1022,
    );
    expect(codeOf(() => authenticateWsApi({ ...params, apiKey: 'other' }, secretFor, T))).toBe(-2015);
  });

  it('applies the timestamp rule at its edges', () => {
    expect(codeOf(() => checkTimestamp(String(T + 999), undefined, T))).toBeUndefined();
    expect(codeOf(() => checkTimestamp(String(T + 1000), undefined, T))).toBe(-1021);
    expect(codeOf(() => checkTimestamp(String(T - 5000), undefined, T))).toBeUndefined();
    expect(codeOf(() => checkTimestamp(String(T - 5001), undefined, T))).toBe(-1021);
    expect(codeOf(() => checkTimestamp(String(T - 59_000), '60000', T))).toBeUndefined();
    expect(codeOf(() => checkTimestamp(String(T), '60001', T))).toBe(-1131);
    expect(codeOf(() => checkTimestamp(undefined, undefined, T))).toBe(-1102);
  });

  it('strips only the signature pair from the signed text', () => {
    expect(stripSignature('a=1&signature=abc&b=2')).toBe('a=1&b=2');
    expect(stripSignature('')).toBe('');
  });
});
