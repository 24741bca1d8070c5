import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HbError, classifyExchangeError } from '../../src/errors/hb-error.js';
import {
  encodeQuery,
  type Auth,
  type RestRequestToSign,
  type SignedRestRequest,
} from '../../src/net/auth.js';
import { RateLimiter } from '../../src/net/rate-limiter.js';
import {
  RestClient,
  normalizeQuery,
  parseRetryAfter,
  type RestClientOptions,
} from '../../src/net/rest-client.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: Seen, res: ServerResponse) => void;

/** A loopback server answering with the queued handlers in turn (the last one repeats). */
class TestServer {
  readonly seen: Seen[] = [];
  handlers: Handler[] = [];
  private server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.seen.push(s);
      const h = this.handlers.length > 1 ? this.handlers.shift()! : this.handlers[0];
      if (h === undefined) json(res, 200, {});
      else h(s, res);
    });
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const SECRET = 'sEcReT-9f8e7d6c5b4a-NEVER-PRINT';
const PASSPHRASE = 'pass-PHRASE-do-not-leak';

/** Binance-style: HMAC over the query string (and body), appended as `signature`. */
class QuerySigningAuth implements Auth {
  readonly #secret = SECRET;
  signRest(req: RestRequestToSign): SignedRestRequest {
    const query = [...req.query, ['timestamp', '1700000000000'] as const];
    const payload = encodeQuery(query) + (req.body ?? '');
    const signature = createHmac('sha256', this.#secret).update(payload).digest('hex');
    return {
      pathAndQuery: `${req.path}?${encodeQuery([...query, ['signature', signature]])}`,
      body: req.body,
      headers: { 'X-MBX-APIKEY': 'public-key' },
    };
  }
}

/** Coinbase-style: HMAC over timestamp+method+path+body in headers, passphrase in a header. */
class HeaderSigningAuth implements Auth {
  readonly #secret = SECRET;
  readonly #passphrase = PASSPHRASE;
  signRest(req: RestRequestToSign): SignedRestRequest {
    const pathAndQuery = req.query.length === 0 ? req.path : `${req.path}?${encodeQuery(req.query)}`;
    const ts = '1700000000';
    const sig = createHmac('sha256', this.#secret)
      .update(ts + req.method + pathAndQuery + (req.body ?? ''))
      .digest('base64');
    return {
      pathAndQuery,
      body: req.body,
      headers: {
        'CB-ACCESS-KEY': 'k',
        'CB-ACCESS-SIGN': sig,
        'CB-ACCESS-TIMESTAMP': ts,
        'CB-ACCESS-PASSPHRASE': this.#passphrase,
      },
    };
  }
}

const noSleep = async (): Promise<void> => undefined;

describe('RestClient', () => {
  const server = new TestServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.seen.length = 0;
    server.handlers = [];
  });

  const client = (extra: Partial<RestClientOptions> = {}): RestClient =>
    new RestClient({ baseUrl: server.url, exchange: 'testex', sleep: noSleep, ...extra });

  it('sends the query in order, parses the answer, and reports headers', async () => {
    server.handlers = [(_, res) => json(res, 200, { serverTime: 123 }, { 'x-mbx-used-weight-1m': '42' })];
    const limiter = new RateLimiter([{ id: 'REQUEST_WEIGHT', limit: 6000, intervalMs: 60_000 }]);
    const statuses: number[] = [];
    const c = client({
      rateLimiter: limiter,
      usageHeaders: { 'X-MBX-USED-WEIGHT-1M': 'REQUEST_WEIGHT' },
      onResponse: (_h, status) => statuses.push(status),
    });
    const t = await c.request({
      method: 'GET',
      path: '/api/v3/time',
      query: [
        ['symbol', 'BTCUSDT'],
        ['limit', 5],
        ['skip', undefined],
        ['note', "a'b c!"],
      ],
      costs: { REQUEST_WEIGHT: 1 },
      parse: (j) => (j as { serverTime: number }).serverTime,
    });
    expect(t).toBe(123);
    expect(server.seen[0]!.url).toBe('/api/v3/time?symbol=BTCUSDT&limit=5&note=a%27b%20c%21');
    expect(limiter.usage()[0]!.used).toBe(42);
    expect(statuses).toEqual([200]);
  });

  it('keeps a path prefix of the base URL and ignores its trailing slash', async () => {
    const c = new RestClient({ baseUrl: `${server.url}/sim/`, exchange: 'testex' });
    await c.request({ method: 'GET', path: '/ping', query: { a: 1, b: true } });
    expect(server.seen[0]!.url).toBe('/sim/ping?a=1&b=true');
    expect(c.url).toBe(`${server.url}/sim`);
  });

  it('sends exactly the query bytes that were signed', async () => {
    const c = client({ auth: new QuerySigningAuth() });
    await c.request({
      method: 'POST',
      path: '/api/v3/order',
      query: [
        ['symbol', 'BTCUSDT'],
        ['price', '0.1'],
      ],
      signed: true,
    });
    const seen = server.seen[0]!;
    const q = seen.url.slice(seen.url.indexOf('?') + 1);
    const unsigned = q.slice(0, q.lastIndexOf('&signature='));
    expect(unsigned).toBe('symbol=BTCUSDT&price=0.1&timestamp=1700000000000');
    const expected = createHmac('sha256', SECRET).update(unsigned).digest('hex');
    expect(q).toBe(`${unsigned}&signature=${expected}`);
    expect(seen.headers['x-mbx-apikey']).toBe('public-key');
  });

  it('sends exactly the body bytes that were signed (header signing)', async () => {
    const c = client({ auth: new HeaderSigningAuth() });
    await c.request({
      method: 'POST',
      path: '/orders',
      body: { size: '0.01', price: '100.0', side: 'buy' },
      signed: true,
    });
    const seen = server.seen[0]!;
    expect(seen.body).toBe('{"size":"0.01","price":"100.0","side":"buy"}');
    expect(seen.headers['content-type']).toBe('application/json');
    const expected = createHmac('sha256', SECRET)
      .update(`1700000000POST/orders${seen.body}`)
      .digest('base64');
    expect(seen.headers['cb-access-sign']).toBe(expected);
  });

  it('sends a string body verbatim as a form by default', async () => {
    await client().request({ method: 'POST', path: '/x', body: 'a=1&b=2' });
    expect(server.seen[0]!.body).toBe('a=1&b=2');
    expect(server.seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('refuses a signed call with no credentials, sending nothing', async () => {
    await expect(client().request({ method: 'GET', path: '/account', signed: true })).rejects.toMatchObject({
      reason: 'authentication',
      retryable: false,
    });
    expect(server.seen).toHaveLength(0);
  });

  it('times out with reason timeout', async () => {
    // A server of its own: the abandoned request can reach a loaded server after
    // the client gave up, and must not be counted by (or answered for) the next test.
    const slow = new TestServer();
    await slow.start();
    slow.handlers = [() => undefined]; // never answers
    try {
      const err = await new RestClient({
        baseUrl: slow.url,
        exchange: 'testex',
        sleep: noSleep,
        retry: { maxRetries: 0 },
      })
        .request({ method: 'GET', path: '/slow', timeoutMs: 50 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HbError);
      expect((err as HbError).reason).toBe('timeout');
      expect((err as HbError).message).toBe('testex: GET /slow timed out after 50 ms');
    } finally {
      await slow.stop();
    }
  });

  it('never retries a POST on 5xx (the outcome is unknown) and disables ky retries', async () => {
    server.handlers = [(_, res) => json(res, 503, { message: 'busy' })];
    const err = (await client()
      .request({ method: 'POST', path: '/orders', body: {} })
      .catch((e: unknown) => e)) as HbError;
    expect(err.reason).toBe('unavailable');
    expect(err.outcomeUnknown).toBe(true);
    expect(server.seen).toHaveLength(1);
    server.seen.length = 0;
    await client({ retry: { maxRetries: 0 } })
      .request({ method: 'GET', path: '/x' })
      .catch(() => undefined);
    expect(server.seen).toHaveLength(1);
  });

  it('retries a GET on 5xx with growing jittered backoff, up to maxRetries', async () => {
    server.handlers = [(_, res) => json(res, 502, {})];
    const sleeps: number[] = [];
    const c = client({
      retry: { maxRetries: 3, minDelayMs: 100, maxDelayMs: 300 },
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    await expect(c.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      reason: 'unavailable',
      httpStatus: 502,
    });
    expect(server.seen).toHaveLength(4);
    expect(sleeps).toEqual([75, 150, 225]);
  });

  it('a GET that succeeds on retry returns the answer', async () => {
    server.handlers = [(_, res) => json(res, 500, {}), (_, res) => json(res, 200, { ok: 1 })];
    await expect(client().request({ method: 'GET', path: '/x' })).resolves.toEqual({ ok: 1 });
    expect(server.seen).toHaveLength(2);
  });

  it('on 429 reads Retry-After, penalizes the limiter and does not resend a POST', async () => {
    server.handlers = [
      (_, res) => json(res, 429, { code: -1003, msg: 'Too many requests' }, { 'retry-after': '120' }),
    ];
    const limiter = new RateLimiter([{ id: 'REQUEST_WEIGHT', limit: 6000, intervalMs: 60_000 }]);
    const before = Date.now();
    const err = (await client({ rateLimiter: limiter, defaultCosts: { REQUEST_WEIGHT: 1 } })
      .request({ method: 'POST', path: '/api/v3/order' })
      .catch((e: unknown) => e)) as HbError;
    expect(err.reason).toBe('rate_limit');
    expect(err.retryAfterMs).toBe(120_000);
    expect(server.seen).toHaveLength(1);
    expect(limiter.penalizedUntil).toBeGreaterThanOrEqual(before + 120_000);
    expect(limiter.penalizedUntil).toBeLessThan(before + 125_000);
  });

  it('does not wait out a Retry-After longer than maxRetryAfterMs, even for a GET', async () => {
    server.handlers = [(_, res) => json(res, 418, {}, { 'retry-after': '7200' })];
    await expect(client().request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      reason: 'rate_limit',
      httpStatus: 418,
    });
    expect(server.seen).toHaveLength(1);
  });

  it('retries a GET after a short Retry-After, waiting through the limiter', async () => {
    server.handlers = [
      (_, res) => json(res, 429, {}, { 'retry-after': '0' }),
      (_, res) => json(res, 200, [1]),
    ];
    const limiter = new RateLimiter([{ id: 'W', limit: 10, intervalMs: 60_000 }]);
    await expect(
      client({ rateLimiter: limiter, defaultCosts: { W: 1 } }).request({ method: 'GET', path: '/x' }),
    ).resolves.toEqual([1]);
    expect(limiter.usage()[0]!.used).toBe(2); // every attempt is paid for
  });

  it('maps error bodies through the connector classifier', async () => {
    server.handlers = [
      (_, res) =>
        json(res, 400, { code: -2010, msg: 'Account has insufficient balance for requested action.' }),
    ];
    const calls: Array<[number, unknown, string | null]> = [];
    const c = client({
      classifyError: (status, body, headers) => {
        calls.push([status, body, headers.get('content-type')]);
        const b = body as { code: number; msg: string };
        return classifyExchangeError([{ code: -2010, reason: 'insufficient_funds' }], {
          exchange: 'testex',
          code: b.code,
          message: b.msg,
          httpStatus: status,
        });
      },
    });
    await expect(c.request({ method: 'POST', path: '/api/v3/order' })).rejects.toMatchObject({
      reason: 'insufficient_funds',
      exchangeCode: -2010,
    });
    expect(calls).toEqual([
      [
        400,
        { code: -2010, msg: 'Account has insufficient balance for requested action.' },
        'application/json',
      ],
    ]);
  });

  it('passes a non-JSON error body to the classifier as text', async () => {
    server.handlers = [(_, res) => res.writeHead(502).end('<html>bad gateway</html>')];
    let seenBody: unknown;
    const c = client({
      retry: { maxRetries: 0 },
      classifyError: (status, body) => {
        seenBody = body;
        return new HbError('unavailable', `testex: HTTP ${status}`);
      },
    });
    await expect(c.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({ reason: 'unavailable' });
    expect(seenBody).toBe('<html>bad gateway</html>');
  });

  it('rejects a 2xx body that is not JSON, or that parse refuses, as malformed_message', async () => {
    server.handlers = [(_, res) => res.writeHead(200).end('not json')];
    await expect(client().request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      reason: 'malformed_message',
    });
    server.handlers = [(_, res) => json(res, 200, { a: 1 })];
    await expect(
      client().request({
        method: 'GET',
        path: '/x',
        parse: () => {
          throw new TypeError('missing field b');
        },
      }),
    ).rejects.toMatchObject({ reason: 'malformed_message', message: 'testex: unexpected answer to GET /x' });
  });

  it('turns a refused connection into reason network with the cause', async () => {
    const dead = new TestServer();
    await dead.start();
    const url = dead.url;
    await dead.stop();
    const err = (await new RestClient({ baseUrl: url, exchange: 'testex' })
      .request({ method: 'POST', path: '/orders' })
      .catch((e: unknown) => e)) as HbError;
    expect(err).toBeInstanceOf(HbError);
    expect(err.reason).toBe('network');
    expect(err.cause).toBeDefined();
    expect(err.message).toBe('testex: network error on POST /orders (ECONNREFUSED)');
  });

  it('re-syncs the clock and resends once on a clock-skew refusal, even a POST', async () => {
    server.handlers = [
      (_, res) =>
        json(res, 400, { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' }),
      (_, res) => json(res, 200, { orderId: 1 }),
    ];
    let resyncs = 0;
    const c = client({
      auth: new QuerySigningAuth(),
      classifyError: (status, body) =>
        classifyExchangeError([{ code: -1021, reason: 'authentication', retryable: true }], {
          exchange: 'testex',
          code: (body as { code: number }).code,
          httpStatus: status,
        }),
      clockSkew: {
        isClockSkew: (e) => e.exchangeCode === -1021,
        resync: async () => {
          resyncs++;
        },
      },
    });
    await expect(c.request({ method: 'POST', path: '/api/v3/order', signed: true })).resolves.toEqual({
      orderId: 1,
    });
    expect(resyncs).toBe(1);
    expect(server.seen).toHaveLength(2);

    server.seen.length = 0;
    server.handlers = [(_, res) => json(res, 400, { code: -1021 })];
    await expect(c.request({ method: 'POST', path: '/api/v3/order', signed: true })).rejects.toMatchObject({
      exchangeCode: -1021,
    });
    expect(server.seen).toHaveLength(2); // once, not forever
  });

  describe('never leaks a secret into an error', () => {
    const auths: Array<[string, Auth]> = [
      ['query signing', new QuerySigningAuth()],
      ['header signing', new HeaderSigningAuth()],
    ];
    const scenarios: Array<[string, Handler | 'refused', number?]> = [
      ['timeout', () => undefined, 50],
      ['500', (_, res) => json(res, 500, { message: 'internal' })],
      ['400', (_, res) => json(res, 400, { message: 'bad request' })],
      ['429', (_, res) => json(res, 429, {}, { 'retry-after': '999' })],
      ['not json', (_, res) => res.writeHead(200).end('<oops>')],
      ['refused', 'refused'],
    ];
    for (const [authName, auth] of auths) {
      for (const [name, handler, timeoutMs] of scenarios) {
        it(`${authName}: ${name}`, async () => {
          let baseUrl = server.url;
          if (handler === 'refused') {
            const dead = new TestServer();
            await dead.start();
            baseUrl = dead.url;
            await dead.stop();
          } else {
            server.handlers = [handler];
          }
          const c = new RestClient({
            baseUrl,
            exchange: 'testex',
            auth,
            retry: { maxRetries: 0 },
            sleep: noSleep,
          });
          const err = (await c
            .request({
              method: 'POST',
              path: '/orders',
              signed: true,
              body: { a: 1 },
              timeoutMs: timeoutMs ?? 2000,
            })
            .catch((e: unknown) => e)) as HbError;
          expect(err).toBeInstanceOf(HbError);
          const texts = [err.message, JSON.stringify(err), String(err), err.stack ?? ''];
          for (const t of texts) {
            expect(t).not.toContain(SECRET);
            expect(t).not.toContain(PASSPHRASE);
            expect(t).not.toContain('signature='); // nor the signed URL
          }
        });
      }
    }
  });
});

describe('helpers', () => {
  it('parseRetryAfter reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('Tue, 14 Nov 2023 22:13:30 GMT', Date.UTC(2023, 10, 14, 22, 13, 20))).toBe(10_000);
  });

  it('normalizeQuery keeps order and drops undefined values', () => {
    expect(normalizeQuery({ b: 2, a: 'x', c: undefined, d: false })).toEqual([
      ['b', '2'],
      ['a', 'x'],
      ['d', 'false'],
    ]);
  });
});
