import { startHttpServer } from '../../src/server/http-server.js';
import { Router } from '../../src/server/router.js';
import { startWsServer, type WsConnection } from '../../src/server/ws-server.js';
import { httpCall, RecordingClient } from '../helpers/clients.js';

const netHandles = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap').length;

describe('Router', () => {
  it('matches method and path with :params, first route wins', () => {
    const r = new Router();
    const h = () => ({ status: 200 });
    const a = () => ({ status: 201 });
    r.get('/products/:id/book', h).get('/products/:id/:rest', a).delete('/orders/:id', h);
    expect(r.match('GET', '/products/BTC-USD/book')).toEqual({ handler: h, params: { id: 'BTC-USD' } });
    expect(r.match('get', '/products/BTC-USD/trades')?.params).toEqual({ id: 'BTC-USD', rest: 'trades' });
    expect(r.match('POST', '/products/BTC-USD/book')).toBeUndefined();
    expect(r.match('DELETE', '/orders/client%3Aabc')?.params).toEqual({ id: 'client:abc' });
    expect(r.match('DELETE', '/orders')).toBeUndefined();
  });
});

describe('startHttpServer', () => {
  it('serves routes on 127.0.0.1 with the raw query and raw body preserved', async () => {
    const seen: unknown[] = [];
    const router = new Router()
      .post('/api/v3/order', (req) => {
        seen.push({
          rawQuery: req.rawQuery,
          query: req.query,
          body: req.body,
          key: req.headers['x-mbx-apikey'],
        });
        return { status: 200, body: { ok: true } };
      })
      .get('/text', () => ({ status: 200, body: '{"not":"json"' }))
      .get('/boom', () => {
        throw new Error('handler failed');
      })
      .notFound(() => ({ status: 404, body: { code: -1, msg: 'nope' } }));
    const server = await startHttpServer(router);
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      const raw = 'symbol=BTCUSDT&price=25000.00&x=a+b&sig=ab%2Bcd&empty=';
      const res = await httpCall(`${server.url}/api/v3/order?${raw}`, {
        method: 'POST',
        body: 'quantity=0.00100000&newClientOrderId=hb%2D1',
        headers: { 'X-MBX-APIKEY': 'k', 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      expect(JSON.parse(res.body)).toEqual({ ok: true });
      expect(seen).toEqual([
        {
          rawQuery: raw,
          query: { symbol: 'BTCUSDT', price: '25000.00', x: 'a b', sig: 'ab+cd', empty: '' },
          body: 'quantity=0.00100000&newClientOrderId=hb%2D1',
          key: 'k',
        },
      ]);
      expect((await httpCall(`${server.url}/text`)).body).toBe('{"not":"json"');
      expect(await httpCall(`${server.url}/missing`)).toMatchObject({
        status: 404,
        body: '{"code":-1,"msg":"nope"}',
      });
      expect(await httpCall(`${server.url}/boom`)).toMatchObject({ status: 500 });
    } finally {
      await server.close();
    }
  });
});

describe('startWsServer', () => {
  it('hands each connection its path and query, and sends, receives and broadcasts', async () => {
    const conns: WsConnection[] = [];
    const server = await startWsServer((c) => {
      conns.push(c);
      c.onMessage((text) => c.send({ echo: text, path: c.path }));
    });
    const raw = new RecordingClient(`${server.url}/ws/btcusdt@depth`);
    const combined = new RecordingClient(`${server.url}/stream?streams=btcusdt@depth/btcusdt@trade`);
    try {
      await Promise.all([raw.opened, combined.opened]);
      expect(conns.map((c) => [c.id, c.path, c.query])).toEqual([
        [1, '/ws/btcusdt@depth', {}],
        [2, '/stream', { streams: 'btcusdt@depth/btcusdt@trade' }],
      ]);
      expect(conns[1]?.rawQuery).toBe('streams=btcusdt@depth/btcusdt@trade');
      raw.ws.send('{"method":"SUBSCRIBE"}');
      await raw.waitFor(1);
      expect(JSON.parse(raw.frames[0] as string)).toEqual({
        echo: '{"method":"SUBSCRIBE"}',
        path: '/ws/btcusdt@depth',
      });
      expect(server.broadcast({ hello: 1 }, { filter: (c) => c.path === '/stream' })).toBe(1);
      await combined.waitFor(1);
      expect(combined.frames).toEqual(['{"hello":1}']);
      expect(server.connections()).toHaveLength(2);
    } finally {
      await server.close();
    }
    expect(await raw.closed).toBe(1006);
    expect(await combined.closed).toBe(1006);
  });

  it('shuts both servers down cleanly, leaving no open handles', async () => {
    await new Promise((r) => setImmediate(r));
    const before = netHandles();
    let arrived!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    const http = await startHttpServer(() => new Promise(() => undefined), { onRequest: () => arrived() }); // never answers
    const ws = await startWsServer(() => undefined);
    const client = new RecordingClient(`${ws.url}/ws/x`);
    await client.opened;
    const hanging = httpCall(`${http.url}/slow`, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    await reached;
    expect(netHandles()).toBeGreaterThan(before);
    await Promise.all([http.close(), ws.close(), http.close()]);
    expect(String(await hanging)).toMatch(/socket hang up|ECONNRESET/);
    await client.closed;
    await new Promise((r) => setImmediate(r));
    expect(netHandles()).toBe(before);
    await expect(httpCall(`${http.url}/`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it("accepts a 20 KiB stream URL (1,024 Binance streams), past Node's 16 KiB default, and reports client pings", async () => {
    const conns: WsConnection[] = [];
    let pings = 0;
    const server = await startWsServer((c) => {
      conns.push(c);
      c.onPing(() => pings++);
    });
    const streams = Array.from({ length: 1024 }, (_, i) => `sym${i}usdt@depth@100ms`).join('/');
    expect(streams.length).toBeGreaterThan(20_000);
    const client = new RecordingClient(`${server.url}/stream?streams=${streams}`);
    try {
      await client.opened;
      expect(conns[0]?.query['streams']?.split('/')).toHaveLength(1024);
      client.ws.ping();
      const deadline = Date.now() + 2_000;
      while (pings === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(pings).toBe(1);
    } finally {
      await server.close();
    }
    await client.closed;
  });
});
