// The simulator is as strict as Bittrex: signature and content-hash checks with
// Bittrex's codes, the order refusals, the Sequence headers, the per-minute limit,
// and the SignalR negotiate/start on the socket port.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Credentials } from '@hb/core/connector';
import { BittrexAuth } from '../../src/bittrex-auth.js';
import { BittrexSimulator, DEMO_ACCOUNT } from '../../src/testing/index.js';

let sim: BittrexSimulator;
let auth: BittrexAuth;

beforeAll(async () => {
  sim = await BittrexSimulator.start({ seed: 2, demoAccount: true, requestsPerMinute: 1_000 });
  sim.activity(2).step(80);
  auth = new BittrexAuth(
    new Credentials({ apiKey: DEMO_ACCOUNT.apiKey, secret: DEMO_ACCOUNT.apiSecret }),
    Date.now,
    { restUrl: `${sim.restUrl}/v3` },
  );
});

afterAll(async () => {
  await sim.stop();
});

async function call(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: string,
  tamper: (h: Record<string, string>) => void = () => undefined,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const signed = auth.signRest({ method, path, query: [], body });
  const headers = { ...signed.headers };
  tamper(headers);
  const r = await fetch(`${sim.restUrl}/v3${signed.pathAndQuery}`, { method, headers, body });
  const text = await r.text();
  return {
    status: r.status,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
    headers: r.headers,
  };
}

const order = (o: Record<string, unknown>): string =>
  JSON.stringify({
    marketSymbol: 'BTC-USDT',
    direction: 'BUY',
    type: 'LIMIT',
    quantity: '0.001',
    limit: '30000',
    timeInForce: 'GOOD_TIL_CANCELLED',
    ...o,
  });

describe('BittrexSimulator REST', () => {
  it('a signed GET /balances answers with the Sequence header', async () => {
    const r = await call('GET', '/balances');
    expect(r.status).toBe(200);
    expect(r.headers.get('Sequence')).toMatch(/^\d+$/);
    expect(r.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ currencySymbol: 'BTC', total: '1.00000000' })]),
    );
  });

  it('the order book carries the Sequence of its depth', async () => {
    const r25 = await fetch(`${sim.restUrl}/v3/markets/BTC-USDT/orderbook?depth=25`);
    const r500 = await fetch(`${sim.restUrl}/v3/markets/BTC-USDT/orderbook?depth=500`);
    expect(Number(r25.headers.get('Sequence'))).toBe(sim.bookSequence('BTC-USDT', 25));
    expect(Number(r500.headers.get('Sequence'))).toBe(sim.bookSequence('BTC-USDT', 500));
    const bad = await fetch(`${sim.restUrl}/v3/markets/BTC-USDT/orderbook?depth=7`);
    expect(bad.status).toBe(400);
    const head = await fetch(`${sim.restUrl}/v3/markets/BTC-USDT/orderbook?depth=25`, { method: 'HEAD' });
    expect(head.headers.get('Sequence')).toBe(r25.headers.get('Sequence'));
  });

  it('refuses a bad signature, a body that does not match its content hash, an unknown key, a stale timestamp', async () => {
    expect(
      (await call('GET', '/balances', undefined, (h) => (h['Api-Signature'] = 'ab'.repeat(64)))).body,
    ).toEqual({ code: 'INVALID_SIGNATURE' });
    const hashed = await call('POST', '/orders', order({}), (h) => (h['Api-Content-Hash'] = auth.hmac('x')));
    expect(hashed.status).toBe(401);
    expect((hashed.body as { code: string }).code).toBe('INVALID_SIGNATURE');
    expect((await call('GET', '/balances', undefined, (h) => (h['Api-Key'] = 'nope'))).body).toEqual({
      code: 'APIKEY_INVALID',
    });
    const stale = await call(
      'GET',
      '/balances',
      undefined,
      (h) => (h['Api-Timestamp'] = String(Date.now() - 600_000)),
    );
    expect((stale.body as { code: string }).code).toBe('INVALID_TIMESTAMP');
  });

  it('order refusals use Bittrex codes', async () => {
    const codes = async (o: Record<string, unknown>): Promise<[number, string]> => {
      const r = await call('POST', '/orders', order(o));
      return [r.status, (r.body as { code: string }).code];
    };
    expect(await codes({ quantity: '0.00001' })).toEqual([400, 'MIN_TRADE_REQUIREMENT_NOT_MET']);
    expect(await codes({ limit: '30000.0001' })).toEqual([400, 'RATE_PRECISION_NOT_ALLOWED']);
    expect(await codes({ quantity: '100' })).toEqual([409, 'INSUFFICIENT_FUNDS']);
    expect(await codes({ type: 'MARKET', limit: undefined })).toEqual([400, 'INVALID_MARKET_ORDER']);
    expect(await codes({ marketSymbol: 'USDT-BTC' })).toEqual([400, 'MARKET_NAME_REVERSED']);
    expect(await codes({ marketSymbol: 'FOO-BAR' })).toEqual([404, 'MARKET_DOES_NOT_EXIST']);
    expect(await codes({ clientOrderId: 'not-a-uuid' })).toEqual([400, 'BAD_REQUEST']);
    const ask = sim.engine('BTC-USDT').bestAsk()!.toFixed(3);
    expect(await codes({ limit: ask, timeInForce: 'POST_ONLY_GOOD_TIL_CANCELLED' })).toEqual([
      409,
      'POST_ONLY',
    ]);
  });

  it('a placed order answers 201 with the Order object; the same clientOrderId again is CLIENTORDERID_ALREADY_EXISTS', async () => {
    const cid = '11111111-2222-4333-8444-555555555555';
    const r = await call('POST', '/orders', order({ clientOrderId: cid, limit: '20000' }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      clientOrderId: cid,
      status: 'OPEN',
      fillQuantity: '0.00000000',
      limit: '20000.00000000',
    });
    const again = await call('POST', '/orders', order({ clientOrderId: cid, limit: '20000' }));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'CLIENTORDERID_ALREADY_EXISTS',
      data: { existingOrderId: (r.body as { id: string }).id },
    });
    const id = (r.body as { id: string }).id;
    expect((await call('DELETE', `/orders/${id}`)).body).toMatchObject({
      status: 'CLOSED',
      closedAt: expect.any(String),
    });
    expect((await call('DELETE', `/orders/${id}`)).body).toEqual({ code: 'ORDER_NOT_OPEN' });
    expect((await call('GET', '/orders/00000000-0000-4000-8000-000000000000')).body).toEqual({
      code: 'ORDER_DOES_NOT_EXIST',
    });
  });

  it('past the per-minute limit: 429 THROTTLED', async () => {
    sim.setRequestsPerMinute(0);
    try {
      const r = await fetch(`${sim.restUrl}/v3/ping`);
      expect(r.status).toBe(429);
      expect(await r.json()).toEqual({ code: 'THROTTLED' });
    } finally {
      sim.setRequestsPerMinute(1_000);
    }
  });
});

describe('BittrexSimulator SignalR HTTP', () => {
  const data = encodeURIComponent('[{"name":"c3"}]');
  it('negotiate issues a token that start accepts; other hubs are refused', async () => {
    const base = sim.wsUrl.replace('ws://', 'http://');
    const n = (await (
      await fetch(`${base}/signalr/negotiate?clientProtocol=1.5&connectionData=${data}`)
    ).json()) as Record<string, unknown>;
    expect(n).toMatchObject({ ProtocolVersion: '1.5', KeepAliveTimeout: 20, TryWebSockets: true });
    const token = encodeURIComponent(n['ConnectionToken'] as string);
    const start = await fetch(
      `${base}/signalr/start?clientProtocol=1.5&transport=webSockets&connectionToken=${token}&connectionData=${data}`,
    );
    expect(await start.json()).toEqual({ Response: 'started' });
    const other = await fetch(
      `${base}/signalr/negotiate?clientProtocol=1.5&connectionData=${encodeURIComponent('[{"name":"c2"}]')}`,
    );
    expect(other.status).toBe(500);
    const oldProtocol = await fetch(`${base}/signalr/negotiate?clientProtocol=1.3&connectionData=${data}`);
    expect(oldProtocol.status).toBe(400);
  });
});
