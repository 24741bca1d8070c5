import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { SubscriptionSocket, type SubscriptionSocketOptions } from '../../src/net/subscription-socket.js';

/** A loopback server recording each connection's URL and messages. */
class Server {
  readonly urls: string[] = [];
  readonly received: string[][] = [];
  readonly sockets: WebSocket[] = [];
  private wss!: WebSocketServer;
  async start(): Promise<void> {
    this.wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => this.wss.once('listening', () => r()));
    this.wss.on('connection', (ws, req) => {
      const i = this.sockets.length;
      this.sockets.push(ws);
      this.urls.push(req.url ?? '');
      this.received.push([]);
      ws.on('message', (d) => this.received[i]!.push(String(d)));
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

async function until(what: string, predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('SubscriptionSocket', () => {
  let server: Server;
  let socket: SubscriptionSocket | undefined;
  const frames: string[] = [];
  let reconnects = 0;

  function make(extra: Partial<SubscriptionSocketOptions> = {}): SubscriptionSocket {
    socket = new SubscriptionSocket({
      name: 'test',
      url: (topics) => `${server.url}/stream?streams=${topics.join('/')}`,
      topicsInUrl: true,
      subscribeMessages: (topics) => [{ op: 'sub', topics }],
      unsubscribeMessages: (topics) => [{ op: 'unsub', topics }],
      onMessage: (m) => frames.push(m.data),
      onReconnect: () => {
        reconnects++;
      },
      reconnect: { minDelayMs: 10, maxDelayMs: 20 },
      ...extra,
    });
    return socket;
  }

  beforeEach(async () => {
    server = new Server();
    await server.start();
    frames.length = 0;
    reconnects = 0;
  });

  afterEach(async () => {
    await socket?.close();
    socket = undefined;
    await server.stop();
  });

  it('opens one socket for the topics of one tick, with them in the URL, and confirms them on open', async () => {
    const s = make();
    s.acquire('a');
    s.acquire('b');
    await s.whenConfirmed('b', 2000);
    expect(server.urls).toEqual(['/stream?streams=a/b']);
    expect(server.received[0]).toEqual([]);
  });

  it('subscribes later topics in one batch, counts references, and unsubscribes the last release', async () => {
    const s = make();
    s.acquire('a');
    await until('open', () => server.sockets.length === 1);
    await s.whenConfirmed('a', 2000);
    s.acquire('b');
    s.acquire('c');
    s.acquire('c');
    await until('subscribe', () => server.received[0]!.length === 1);
    expect(JSON.parse(server.received[0]![0]!)).toEqual({ op: 'sub', topics: ['b', 'c'] });
    s.release('c');
    await new Promise((r) => setTimeout(r, 30));
    expect(server.received[0]).toHaveLength(1); // still referenced once
    s.release('c');
    await until('unsubscribe', () => server.received[0]!.length === 2);
    expect(JSON.parse(server.received[0]![1]!)).toEqual({ op: 'unsub', topics: ['c'] });
    expect(s.topics).toEqual(['a', 'b']);
  });

  it('waits for an explicit confirmation when topics are sent as messages, and times out otherwise', async () => {
    const s = make({ topicsInUrl: false, url: () => server.url });
    s.acquire('x');
    await until('subscribe', () => server.received[0]?.length === 1);
    let confirmed = false;
    const waiting = s.whenConfirmed('x', 2000).then(() => (confirmed = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(confirmed).toBe(false);
    s.confirm(['x']);
    await waiting;
    const started = Date.now();
    await s.whenConfirmed('never', 50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });

  it('after a drop, calls onReconnect before the new socket delivers, and resubscribes every topic', async () => {
    const s = make();
    s.acquire('a');
    s.acquire('b');
    await until('open', () => server.sockets.length === 1);
    server.sockets[0]!.terminate();
    await until('reconnect', () => server.sockets.length === 2);
    server.sockets[1]!.send('hello');
    await until('frame', () => frames.length === 1);
    expect(reconnects).toBe(1);
    expect(server.urls[1]).toBe('/stream?streams=a/b');
  });

  it('closes the socket when the last topic goes', async () => {
    const s = make();
    s.acquire('a');
    await until('open', () => server.sockets.length === 1);
    s.release('a');
    await until('closed', () => server.sockets[0]!.readyState === WebSocket.CLOSED);
  });

  it('refuses more topics than the exchange allows', () => {
    const s = make({ maxTopics: 1 });
    s.acquire('a');
    expect(() => s.acquire('b')).toThrow(/more than 1 subscriptions/);
  });

  it('reports a lost socket at once (onDisconnect), before the reconnect', async () => {
    const reasons: string[] = [];
    const s = make({ onDisconnect: (r) => reasons.push(r) });
    s.acquire('a');
    await until('connected', () => server.sockets.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    server.sockets[0]!.terminate();
    await until('disconnect reported', () => reasons.length === 1);
    expect(reasons[0]).toMatch(/socket closed/);
    await until('reconnected', () => reconnects === 1);
  });

  it('refuse() forgets refused topics on this socket; unconfirmedTopics lists what is not confirmed', async () => {
    const s = make({ topicsInUrl: false, url: () => `${server.url}/feed` });
    s.acquire('a');
    s.acquire('b');
    await until('subscribed', () => (server.received[0] ?? []).length === 1);
    expect(s.unconfirmedTopics.sort()).toEqual(['a', 'b']);
    s.confirm(['a']);
    expect(s.isConfirmed('a')).toBe(true);
    expect(s.unconfirmedTopics).toEqual(['b']);
    const waiting = s.whenConfirmed('b', 60_000);
    s.refuse(['b']);
    expect(s.unconfirmedTopics).toEqual([]);
    await waiting; // ends at once: nothing left to wait for
  });
});

describe('SubscriptionSocket decode hook and ping rules', () => {
  it('decodes gzipped frames before routing and answers the exchange ping ahead of routing', async () => {
    const { gzipSync } = await import('node:zlib');
    const { gunzipDecoder } = await import('../../src/net/ws-connection.js');
    const { jsonPingPong } = await import('../../src/kit/ping-pong.js');
    const server = new Server();
    await server.start();
    const frames: string[] = [];
    const socket = new SubscriptionSocket({
      name: 'gz',
      url: () => `${server.url}/ws`,
      subscribeMessages: (topics) => topics.map((t) => ({ sub: t })),
      unsubscribeMessages: (topics) => topics.map((t) => ({ unsub: t })),
      onMessage: (m) => frames.push(m.data),
      decode: gunzipDecoder,
      heartbeat: { isPing: jsonPingPong('ping', 'pong') },
      reconnect: { minDelayMs: 10, maxDelayMs: 20 },
    });
    try {
      socket.acquire('market.btcusdt.depth');
      await until('subscribe', () => (server.received[0] ?? []).length > 0);
      const ws = server.sockets[0]!;
      ws.send(gzipSync('{"ping":42}'));
      ws.send(gzipSync('{"ch":"market.btcusdt.depth","tick":1}'));
      await until('frame', () => frames.length === 1);
      await until('pong', () => server.received[0]!.includes('{"pong":42}'));
      expect(frames).toEqual(['{"ch":"market.btcusdt.depth","tick":1}']);
      expect(server.received[0]![0]).toBe('{"sub":"market.btcusdt.depth"}');
    } finally {
      await socket.close();
      await server.stop();
    }
  });
});
