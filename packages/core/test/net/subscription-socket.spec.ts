import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { HbError } from '../../src/errors/hb-error.js';
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

  it('waits for an explicit confirmation when topics are sent as messages, and rejects a wait that times out', async () => {
    const s = make({ topicsInUrl: false, url: () => server.url });
    s.acquire('x');
    s.acquire('y');
    await until('subscribe', () => server.received[0]?.length === 1);
    let confirmed = false;
    const waiting = s.whenConfirmed('x', 2000).then(() => (confirmed = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(confirmed).toBe(false);
    expect(s.topicState('x')).toBe('sent');
    s.confirm(['x']);
    await waiting;
    expect(s.topicState('x')).toBe('confirmed');
    await expect(s.whenConfirmed('y', 50)).rejects.toMatchObject({ reason: 'timeout' });
    await expect(s.whenConfirmed('never-acquired', 50)).rejects.toMatchObject({ reason: 'timeout' });
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

  it('refuses more topics in total than maxTopics', () => {
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
    await expect(waiting).rejects.toThrow(/refused/); // ends at once, with the refusal
  });

  describe('pool', () => {
    it('opens as many connections as maxTopicsPerConnection needs and spreads the topics over them', async () => {
      const s = make({ limits: { maxTopicsPerConnection: 2 } });
      for (const t of ['a', 'b', 'c', 'd', 'e']) s.acquire(t);
      await Promise.all(['a', 'b', 'c', 'd', 'e'].map((t) => s.whenConfirmed(t, 2000)));
      expect([...server.urls].sort()).toEqual([
        '/stream?streams=a/b',
        '/stream?streams=c/d',
        '/stream?streams=e',
      ]);
      expect(s.connectionCount).toBe(3);
      // A freed place is reused before a new connection is opened.
      s.release('c');
      s.acquire('f');
      await until('subscribe f', () => server.received.some((r) => r.some((m) => m.includes('"f"'))));
      expect(server.sockets).toHaveLength(3);
      // The last topic of a connection closes it.
      s.release('e');
      const third = server.sockets[server.urls.indexOf('/stream?streams=e')]!;
      await until('closed', () => third.readyState === WebSocket.CLOSED);
      expect(s.connectionCount).toBe(2);
    });

    it('puts in the URL only what fits in maxUrlLength and subscribes the rest by messages of maxTopicsPerMessage', async () => {
      const topics = Array.from({ length: 10 }, (_, i) => `topic${i}`);
      const s = make({
        limits: { maxUrlLength: server.url.length + '/stream?streams='.length + 20, maxTopicsPerMessage: 3 },
      });
      for (const t of topics) s.acquire(t);
      await until('subscribes', () => (server.received[0]?.length ?? 0) === 3);
      expect(server.urls[0]).toBe('/stream?streams=topic0/topic1/topic2');
      const sent = server.received[0]!.map((m) => (JSON.parse(m) as { topics: string[] }).topics);
      expect(sent).toEqual([['topic3', 'topic4', 'topic5'], ['topic6', 'topic7', 'topic8'], ['topic9']]);
      expect(s.topicState('topic0')).toBe('confirmed');
      expect(s.topicState('topic9')).toBe('sent');
    });

    it('a refused topic fails visibly, is not sent again, and is subscribed anew after release and acquire', async () => {
      const failures: Array<{ topics: readonly string[]; reason: string }> = [];
      const s = make({
        topicsInUrl: false,
        url: () => server.url,
        onTopicFailed: (topics, error) => failures.push({ topics, reason: error.reason }),
      });
      s.acquire('bad');
      s.acquire('good');
      await until('subscribe', () => server.received[0]?.length === 1);
      const waiting = s.whenConfirmed('bad', 2000);
      s.refuse(['bad'], new HbError('invalid_order', 'refused by the exchange', { retryable: false }));
      s.confirm(['good']);
      await expect(waiting).rejects.toThrow(/refused by the exchange/);
      expect(failures).toEqual([{ topics: ['bad'], reason: 'invalid_order' }]);
      expect(s.topicState('bad')).toBe('failed');
      await expect(s.whenConfirmed('bad')).rejects.toThrow(/refused/);
      await until('unsubscribe', () => server.received[0]!.length === 2);
      expect(JSON.parse(server.received[0]![1]!)).toEqual({ op: 'unsub', topics: ['bad'] });
      s.release('bad');
      s.acquire('bad');
      await until('subscribe again', () => server.received[0]!.length === 3);
      expect(JSON.parse(server.received[0]![2]!)).toEqual({ op: 'sub', topics: ['bad'] });
      expect(s.topicState('bad')).toBe('sent');
    });

    it('a topic the exchange never confirms fails with a timeout', async () => {
      const failures: string[] = [];
      const s = make({
        topicsInUrl: false,
        url: () => server.url,
        confirmTimeoutMs: 60,
        onTopicFailed: (topics, error) => failures.push(`${topics.join(',')}:${error.reason}`),
      });
      s.acquire('silent');
      await expect(s.whenConfirmed('silent', 2000)).rejects.toMatchObject({ reason: 'timeout' });
      expect(failures).toEqual(['silent:timeout']);
    });

    it('opens connections no faster than connectionsPerWindow', async () => {
      const s = make({
        limits: { maxTopicsPerConnection: 1, connectionsPerWindow: { limit: 2, windowMs: 300 } },
      });
      const started = Date.now();
      for (const t of ['a', 'b', 'c']) s.acquire(t);
      await until('two', () => server.sockets.length === 2);
      await new Promise((r) => setTimeout(r, 100));
      expect(server.sockets).toHaveLength(2);
      await s.whenConfirmed('c', 2000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    });

    it('a dropped connection reopens with its own topics and reports only those for re-sync', async () => {
      const reopened: string[][] = [];
      const s = make({
        limits: { maxTopicsPerConnection: 2 },
        onReconnect: (topics) => reopened.push([...topics]),
      });
      for (const t of ['a', 'b', 'c']) s.acquire(t);
      await Promise.all(['a', 'b', 'c'].map((t) => s.whenConfirmed(t, 2000)));
      server.sockets[server.urls.indexOf('/stream?streams=c')]!.terminate();
      await until('reconnect', () => server.sockets.length === 3);
      await s.whenConfirmed('c', 2000);
      expect(reopened).toEqual([['c']]);
      expect(server.urls[2]).toBe('/stream?streams=c');
    });
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
