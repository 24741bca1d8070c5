import { inspect } from 'node:util';
import { gzipSync, deflateRawSync } from 'node:zlib';
import {
  Credentials,
  CredentialedAuth,
  HbError,
  SECRET_MASK,
  SymbolMap,
  createErrorClassifier,
  credentialsFromFields,
  fieldsReader,
  gunzipDecoder,
  inflateRawDecoder,
  isUuidV4,
  jsonPingPong,
  loadSymbolList,
  prefixedClientOrderIds,
  resolveEndpoints,
  textPingPong,
  uuidClientOrderIds,
  uuidV4,
  type ErrorMapping,
} from '../../src/kit/index.js';

describe('credentials on the signer side', () => {
  class FakeAuth extends CredentialedAuth {
    constructor(c: Credentials) {
      super(c, () => 0);
    }
    protected get authName(): string {
      return 'FakeAuth';
    }
    headers(): Record<string, string> {
      return { key: this.credentials.apiKey, secret: this.credentials.secret.reveal() };
    }
  }
  const KEY = 'abcdEFGHijklMNOP';
  const SECRET = 'very-secret-value-0123456789';
  const auth = new FakeAuth(new Credentials({ apiKey: KEY, secret: SECRET, passphrase: 'pass-phrase-1' }));

  it.each([
    ['String', () => String(auth)],
    ['template', () => `${auth}`],
    ['JSON', () => JSON.stringify({ auth })],
    ['inspect', () => inspect(auth)],
    ['inspect without custom', () => inspect(auth, { customInspect: false, showHidden: true, depth: 9 })],
    ['entries', () => JSON.stringify(Object.entries(auth))],
  ])('%s shows a mask, never the secret, passphrase or whole key', (_what, render) => {
    const text = render();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('pass-phrase-1');
    expect(text).not.toContain(KEY);
  });

  it('still says what it is, and the signer can read the values', () => {
    expect(String(auth)).toBe(`FakeAuth(apiKey=abcd${SECRET_MASK})`);
    expect(auth.headers()).toEqual({ key: KEY, secret: SECRET });
  });

  it('builds from market options: none, all, or a typed error for half', () => {
    expect(credentialsFromFields('x', {})).toBeUndefined();
    expect(credentialsFromFields('x', { apiKey: 'k', apiSecret: 's' })?.apiKey).toBe('k');
    expect(() => credentialsFromFields('x', { apiKey: 'k' })).toThrow(
      expect.objectContaining({ reason: 'authentication' }),
    );
    expect(() =>
      credentialsFromFields('x', { apiKey: 'k', apiSecret: SECRET }, { passphrase: true }),
    ).toThrow(
      expect.objectContaining({ reason: 'authentication', message: expect.not.stringContaining(SECRET) }),
    );
  });
});

describe('resolveEndpoints', () => {
  const envs = {
    production: { rest: 'https://api.x', ws: 'wss://ws.x' },
    sandbox: { rest: 'https://sandbox.x', ws: 'wss://ws.sandbox.x' },
  };
  const ws = (url: string, base: { rest: string; ws: string }) => ({ ...base, ws: url });

  it('picks production, the sandbox, or overrides without trailing slashes', () => {
    expect(resolveEndpoints(envs, {}, ws)).toEqual(envs.production);
    expect(resolveEndpoints(envs, { sandbox: true }, ws)).toEqual(envs.sandbox);
    expect(resolveEndpoints(envs, { sandbox: true, restUrl: 'http://127.0.0.1:1/' }, ws)).toEqual({
      rest: 'http://127.0.0.1:1',
      ws: 'wss://ws.sandbox.x',
    });
    expect(resolveEndpoints(envs, { wsUrl: 'ws://127.0.0.1:2//' }, ws).ws).toBe('ws://127.0.0.1:2');
  });

  it('refuses a sandbox the exchange does not have', () => {
    expect(() => resolveEndpoints({ production: envs.production }, { sandbox: true }, ws)).toThrow(/sandbox/);
  });
});

describe('createErrorClassifier', () => {
  const table: ErrorMapping[] = [
    { code: -2010, message: /insufficient/i, reason: 'insufficient_funds' },
    { code: -1021, reason: 'authentication', retryable: true },
    { message: /rate limit/i, reason: 'rate_limit' },
  ];
  const byCode = createErrorClassifier('x', table, fieldsReader({ code: 'code', message: 'msg' }));
  const byMessage = createErrorClassifier('y', table, fieldsReader({ message: 'message' }));

  it('reads the body (object or JSON text) through the one table', () => {
    expect(byCode(400, { code: -2010, msg: 'Account has insufficient balance' }).reason).toBe(
      'insufficient_funds',
    );
    expect(byCode(400, '{"code":-1021,"msg":"Timestamp"}')).toMatchObject({
      reason: 'authentication',
      retryable: true,
      exchangeCode: -1021,
      exchange: 'x',
    });
    expect(byMessage(429, { message: 'Private rate limit exceeded' }, { 'Retry-After': '2' })).toMatchObject({
      reason: 'rate_limit',
      retryAfterMs: 2000,
    });
  });

  it('falls back on the status for a body that is not the exchange shape, and keeps 5xx unknown', () => {
    expect(byCode(401, '<html>denied</html>').reason).toBe('authentication');
    expect(byCode(503, { code: -2010, msg: 'insufficient balance' })).toMatchObject({
      reason: 'unavailable',
      outcomeUnknown: true,
    });
  });
});

describe('symbol lists', () => {
  const read = (e: unknown) => {
    const o = e as Record<string, unknown>;
    if (typeof o['base'] !== 'string')
      throw new HbError('malformed_message', `x: ${String(o['s'])} without base`);
    return { symbol: String(o['s']), baseAsset: o['base'], quoteAsset: String(o['quote']) };
  };

  it('keep going past an unreadable entry and say which one and why', () => {
    const r = loadSymbolList([{ s: 'AB', base: 'A', quote: 'B' }, { s: 'CD', quote: 'D' }, 7], 's', read);
    expect(r.items.map((i) => i.symbol)).toEqual(['AB']);
    expect(r.skipped.map((s) => [s.symbol, s.error.message])).toEqual([
      ['CD', 'x: CD without base'],
      ['7', 'x: undefined without base'],
    ]);
  });

  it('let a bug propagate instead of reporting it as a skipped symbol', () => {
    expect(() =>
      loadSymbolList([{}], 's', () => {
        throw new TypeError('bug');
      }),
    ).toThrow(TypeError);
  });

  it('map both ways, never by splitting strings', () => {
    const map = SymbolMap.load('x', [{ s: 'TUSDT', base: 'TUSD', quote: 'T' }, { s: 'BAD' }], 's', read);
    expect(map.toPair('TUSDT')).toBe('TUSD-T');
    expect(map.toSymbol('TUSD-T')).toBe('TUSDT');
    expect(map.skipped.map((s) => s.symbol)).toEqual(['BAD']);
    expect(() => map.toSymbol('BTC-USD')).toThrow(expect.objectContaining({ rule: 'unknown_pair' }));
    expect(() => map.toPair('BTCUSD')).toThrow(HbError);
  });
});

describe('client order id policies', () => {
  it('prefixed: prefix, side, base-36 time, random hex; checked, never rewritten', () => {
    const p = prefixedClientOrderIds({
      exchange: 'x',
      prefix: 'hb',
      pattern: /^[A-Za-z0-9_-]{1,36}$/,
      describe: '1-36 of [A-Za-z0-9_-]',
      now: () => 1700000000000,
      randomHex: (n) => 'f'.repeat(n),
    });
    expect(p.create('buy', 'A-B')).toBe(`hbB${(1700000000000).toString(36)}${'f'.repeat(32 - 3 - 8)}`);
    expect(p.check('x-ok_1')).toBe('x-ok_1');
    expect(() => p.check('no spaces')).toThrow(
      expect.objectContaining({ reason: 'invalid_order', retryable: false }),
    );
    expect(() =>
      prefixedClientOrderIds({ exchange: 'x', prefix: 'y'.repeat(30), pattern: /.*/, describe: '' }).create(
        'buy',
        'A-B',
      ),
    ).toThrow(RangeError);
  });

  it('uuid: lowercase RFC-4122 v4 with version and variant bits forced', () => {
    expect(uuidV4(() => new Uint8Array(16).fill(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(uuidV4(() => new Uint8Array(16))).toBe('00000000-0000-4000-8000-000000000000');
    expect(() => uuidV4(() => new Uint8Array(15))).toThrow(RangeError);
    for (let i = 0; i < 20; i++) expect(isUuidV4(uuidV4())).toBe(true);
    expect(isUuidV4('3F1B9A2E-5C4D-4E6F-8A7B-9C0D1E2F3A4B')).toBe(false);
    expect(isUuidV4('3f1b9a2e-5c4d-1e6f-8a7b-9c0d1e2f3a4b')).toBe(false);
    expect(isUuidV4('3f1b9a2e-5c4d-4e6f-ca7b-9c0d1e2f3a4b')).toBe(false);
    const p = uuidClientOrderIds('cb');
    expect(p.check('3f1b9a2e-5c4d-4e6f-8a7b-9c0d1e2f3a4b')).toBe('3f1b9a2e-5c4d-4e6f-8a7b-9c0d1e2f3a4b');
    expect(() => p.check('hb-1')).toThrow(expect.objectContaining({ reason: 'invalid_order' }));
  });
});

describe('frame decoders and ping/pong rules', () => {
  it('gunzip binary frames and inflate raw-deflate base64 text', () => {
    const text = '{"ch":"market.btcusdt.depth","tick":{}}';
    expect(gunzipDecoder(gzipSync(text), true)).toBe(text);
    expect(gunzipDecoder(Buffer.from(text), false)).toBe(text);
    const b64 = deflateRawSync(text).toString('base64');
    expect(inflateRawDecoder(Buffer.from(b64), false)).toBe(text);
    expect(inflateRawDecoder(deflateRawSync(text), true)).toBe(text);
  });

  it('answer JSON pings with the same value, and nothing else', () => {
    const rule = jsonPingPong('ping', 'pong');
    expect(rule('{"ping":1492420473027}')).toEqual({ pong: 1492420473027 });
    expect(rule('{"ping":1,"ch":"x"}')).toBeUndefined();
    expect(rule('{"tick":{"ping":1}}')).toBeUndefined();
    expect(rule('not json "ping"')).toBeUndefined();
    expect(textPingPong('ping', 'pong')('ping')).toBe('pong');
    expect(textPingPong('ping', 'pong')('pingx')).toBeUndefined();
  });
});
