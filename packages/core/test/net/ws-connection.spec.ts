import type { AddressInfo } from 'node:net';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import WebSocket, { WebSocketServer } from 'ws';
import { HbError } from '../../src/errors/hb-error.js';
import {
  WsConnection,
  gunzipDecoder,
  inflateRawBase64,
  inflateRawDecoder,
  type WsConnectionOptions,
  type WsMessage,
  type WsState,
} from '../../src/net/ws-connection.js';

/** A loopback exchange: records every connection and what each one received. */
class TestWsServer {
  readonly sockets: WebSocket[] = [];
  readonly received: string[][] = [];
  onConnection: (ws: WebSocket, index: number) => void = () => undefined;
  onMessage: (ws: WebSocket, text: string, index: number) => void = () => undefined;
  private wss!: WebSocketServer;

  async start(): Promise<void> {
    this.wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => this.wss.once('listening', () => r()));
    this.wss.on('connection', (ws) => {
      const index = this.sockets.length;
      this.sockets.push(ws);
      this.received.push([]);
      ws.on('message', (data) => {
        const text = String(data);
        this.received[index]!.push(text);
        this.onMessage(ws, text, index);
      });
      this.onConnection(ws, index);
    });
  }
  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }
  async stop(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }
}

/** Waits for a condition that the code under test will make true. */
async function until(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const fast: Partial<WsConnectionOptions> = { reconnect: { minDelayMs: 10, maxDelayMs: 40 }, random: () => 0 };

describe('WsConnection', () => {
  let server: TestWsServer;
  let conn: WsConnection | undefined;

  beforeEach(async () => {
    server = new TestWsServer();
    await server.start();
  });
  afterEach(async () => {
    await conn?.close();
    conn = undefined;
    await server.stop();
  });

  it('reconnects after the server drops the socket and re-sends the onOpen messages', async () => {
    const states: WsState[] = [];
    conn = new WsConnection({
      url: server.url,
      ...fast,
      onOpen: () => [{ method: 'SUBSCRIBE', params: ['btcusdt@depth'], id: 1 }],
    });
    conn.state$.subscribe((s) => states.push(s));
    const messages: string[] = [];
    conn.messages$.subscribe((m) => messages.push(m.data));
    server.onMessage = (ws, _text, index) => {
      ws.send(`hello ${index}`);
      if (index === 0) setTimeout(() => ws.terminate(), 10);
    };

    await conn.connect();
    await until(
      () => server.received.length === 2 && server.received[1]!.length === 1,
      'the second subscription',
    );
    expect(server.received).toEqual([
      ['{"method":"SUBSCRIBE","params":["btcusdt@depth"],"id":1}'],
      ['{"method":"SUBSCRIBE","params":["btcusdt@depth"],"id":1}'],
    ]);
    await until(() => messages.length === 2, 'messages from both sockets');
    expect(messages).toEqual(['hello 0', 'hello 1']);
    await until(() => conn!.state.status === 'connected', 'connected again');
    expect(states.map((s) => s.status)).toEqual([
      'idle',
      'connecting',
      'connected',
      'reconnecting',
      'connecting',
      'connected',
    ]);
    expect(states[2]).toMatchObject({ reconnected: false });
    expect(states[3]).toMatchObject({ attempt: 1, delayMs: 5, reason: 'socket closed (code 1006)' });
    expect(states[5]).toMatchObject({ reconnected: true });
  });

  it('asks for the URL again on every connect', async () => {
    let calls = 0;
    conn = new WsConnection({ ...fast, url: () => `${server.url}/?listenKey=k${++calls}` });
    server.onConnection = (ws, i) => {
      if (i === 0) ws.terminate();
    };
    await conn.connect();
    await until(() => server.sockets.length === 2, 'a second connection');
    expect(calls).toBe(2);
  });

  it('gunzips binary frames (Huobi market data)', async () => {
    server.onConnection = (ws) =>
      ws.send(gzipSync(Buffer.from('{"ch":"market.btcusdt.depth.step0","tick":{}}')));
    conn = new WsConnection({ url: server.url, decode: gunzipDecoder });
    const first = firstValueFrom(conn.messages$);
    await conn.connect();
    const m: WsMessage = await first;
    expect(m.data).toBe('{"ch":"market.btcusdt.depth.step0","tick":{}}');
    expect(typeof m.receivedAt).toBe('number');
  });

  it('inflates base64 raw-deflate frames (Bittrex payloads)', () => {
    const payload = '{"sequence":7,"marketSymbol":"BTC-USDT"}';
    const b64 = deflateRawSync(Buffer.from(payload)).toString('base64');
    expect(inflateRawBase64(b64)).toBe(payload);
    expect(inflateRawDecoder(Buffer.from(b64), false)).toBe(payload);
    expect(inflateRawDecoder(deflateRawSync(Buffer.from(payload)), true)).toBe(payload);
  });

  it('reports a frame that will not decode and keeps going', async () => {
    server.onConnection = (ws) => {
      ws.send(Buffer.from('not gzip'));
      ws.send(gzipSync(Buffer.from('ok')));
    };
    conn = new WsConnection({ url: server.url, decode: gunzipDecoder });
    const errors: HbError[] = [];
    conn.errors$.subscribe((e) => errors.push(e));
    const first = firstValueFrom(conn.messages$);
    await conn.connect();
    expect((await first).data).toBe('ok');
    expect(errors.map((e) => e.reason)).toEqual(['malformed_message']);
  });

  it('answers application pings (Huobi {"ping":n} -> {"pong":n}) without emitting them', async () => {
    server.onConnection = (ws) => {
      ws.send(gzipSync(Buffer.from('{"ping":1700000000123}')));
      ws.send(gzipSync(Buffer.from('{"ch":"x"}')));
    };
    conn = new WsConnection({
      url: server.url,
      decode: gunzipDecoder,
      heartbeat: {
        isPing: (text) => {
          const m = /^\{"ping":(\d+)\}$/.exec(text);
          return m ? `{"pong":${m[1]}}` : undefined;
        },
      },
    });
    const first = firstValueFrom(conn.messages$);
    await conn.connect();
    expect((await first).data).toBe('{"ch":"x"}');
    await until(() => server.received[0]!.length === 1, 'the pong');
    expect(server.received[0]).toEqual(['{"pong":1700000000123}']);
  });

  it('sends application pings on an interval', async () => {
    let n = 0;
    conn = new WsConnection({
      url: server.url,
      heartbeat: { pingIntervalMs: 10, pingMessage: () => ({ ping: ++n }) },
    });
    await conn.connect();
    await until(() => server.received[0]!.length >= 2, 'two pings');
    expect(server.received[0]!.slice(0, 2)).toEqual(['{"ping":1}', '{"ping":2}']);
  });

  it('declares a silent socket dead and reconnects', async () => {
    const reasons: string[] = [];
    conn = new WsConnection({ url: server.url, ...fast, heartbeat: { deadAfterMs: 60 } });
    conn.state$.subscribe((s) => {
      if (s.status === 'reconnecting') reasons.push(s.reason);
    });
    await conn.connect();
    await until(() => server.sockets.length >= 2, 'a second connection');
    expect(reasons[0]).toBe('no message for 60 ms');
  });

  it('does not declare a socket dead while frames keep coming', async () => {
    server.onConnection = (ws) => {
      const t = setInterval(() => ws.send('tick'), 10);
      ws.on('close', () => clearInterval(t));
    };
    conn = new WsConnection({ url: server.url, ...fast, heartbeat: { deadAfterMs: 150 } });
    const ticks = firstValueFrom(conn.messages$.pipe(take(40), toArray()));
    await conn.connect();
    expect(await ticks).toHaveLength(40); // ~400 ms, over two dead-timeouts' worth
    expect(server.sockets).toHaveLength(1);
  });

  it('a protocol pong keeps the socket alive', async () => {
    conn = new WsConnection({
      url: server.url,
      ...fast,
      heartbeat: { protocolPingIntervalMs: 10, deadAfterMs: 150 },
    });
    let pings = 0;
    server.onConnection = (ws) => ws.on('ping', () => pings++);
    await conn.connect();
    await until(() => pings >= 40, '40 protocol pings');
    expect(server.sockets).toHaveLength(1);
  });

  it('close() stops reconnecting and completes the streams', async () => {
    conn = new WsConnection({
      url: server.url,
      reconnect: { minDelayMs: 50, maxDelayMs: 50 },
      random: () => 1,
    });
    let completed = 0;
    conn.messages$.subscribe({ complete: () => completed++ });
    conn.state$.subscribe({ complete: () => completed++ });
    await conn.connect();
    server.sockets[0]!.terminate();
    await until(() => conn!.state.status === 'reconnecting', 'reconnecting');
    await conn.close();
    expect(conn.state).toEqual({ status: 'closed', reason: 'closed by client' });
    expect(completed).toBe(2);
    await new Promise((r) => setTimeout(r, 100)); // past the reconnect delay
    expect(server.sockets).toHaveLength(1);
    await expect(conn.connect()).rejects.toMatchObject({ reason: 'network' });
    await expect(conn.send('x')).rejects.toMatchObject({ reason: 'network' });
  });

  it('close() of an open socket closes it cleanly on the server side', async () => {
    conn = new WsConnection({ url: server.url });
    await conn.connect();
    const closed = new Promise<number>((r) => server.sockets[0]!.once('close', (code) => r(code)));
    await conn.close();
    expect(await closed).toBe(1000);
  });

  it('limits outgoing messages per connection and keeps their order', async () => {
    conn = new WsConnection({ url: server.url, sendRateLimit: { limit: 2, intervalMs: 100 } });
    await conn.connect();
    const arrivals: number[] = [];
    server.onMessage = () => arrivals.push(Date.now());
    const start = Date.now();
    await Promise.all(['1', '2', '3', '4'].map((m) => conn!.send(m)));
    await until(() => server.received[0]!.length === 4, 'four messages');
    expect(server.received[0]).toEqual(['1', '2', '3', '4']);
    // The third message may not leave before the first has aged out of the window.
    expect(arrivals[2]! - start).toBeGreaterThanOrEqual(95);
  });

  it('rejects a send while not connected', async () => {
    conn = new WsConnection({ url: server.url });
    await expect(conn.send({ a: 1 })).rejects.toBeInstanceOf(HbError);
  });

  it('gives up after maxAttempts: connect() rejects and messages$ errors', async () => {
    const dead = new TestWsServer();
    await dead.start();
    const url = dead.url;
    await dead.stop();
    conn = new WsConnection({ url, reconnect: { minDelayMs: 5, maxDelayMs: 5, maxAttempts: 2 } });
    const streamError = new Promise<unknown>((r) => conn!.messages$.subscribe({ error: r }));
    const attempts: number[] = [];
    conn.state$
      .pipe(filter((s) => s.status === 'reconnecting'))
      .subscribe((s) => attempts.push((s as { attempt: number }).attempt));
    const err = (await conn.connect().catch((e: unknown) => e)) as HbError;
    expect(err.reason).toBe('network');
    expect(err.message).toBe('ws: connection lost: connect failed (ECONNREFUSED)');
    expect(await streamError).toBe(err);
    expect(attempts).toEqual([1, 2]);
    expect(conn.state).toMatchObject({ status: 'closed' });
  });

  it('a failing onOpen drops the socket and tries again', async () => {
    let calls = 0;
    conn = new WsConnection({
      url: server.url,
      ...fast,
      onOpen: () => {
        if (++calls === 1) throw new Error('login refused');
        return ['sub'];
      },
    });
    const errors: HbError[] = [];
    conn.errors$.subscribe((e) => errors.push(e));
    await conn.connect();
    expect(calls).toBe(2);
    expect(server.sockets).toHaveLength(2);
    expect(errors[0]!.message).toBe('ws: opening sequence failed');
  });

  it('observe() is cold: connects on subscribe, closes on unsubscribe', async () => {
    server.onConnection = (ws) => ws.send('snapshot');
    const stream = WsConnection.observe({ url: server.url, onOpen: () => ['subscribe'] });
    await new Promise((r) => setTimeout(r, 20));
    expect(server.sockets).toHaveLength(0);

    const got: string[] = [];
    const sub = stream.subscribe((m) => got.push(m.data));
    await until(
      () => got.length === 1 && server.received[0]?.length === 1,
      'the first frame and subscription',
    );
    expect(got).toEqual(['snapshot']);
    expect(server.received[0]).toEqual(['subscribe']);

    const closed = new Promise<number>((r) => server.sockets[0]!.once('close', (code) => r(code)));
    sub.unsubscribe();
    expect(await closed).toBe(1000);
  });
});
