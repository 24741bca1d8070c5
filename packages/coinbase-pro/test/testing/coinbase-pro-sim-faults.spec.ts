import { describeSimOrderFaults, expectStreamOutage, useWsClients } from '@hb/testing/suites';
import { CoinbaseProSimulator } from '../../src/testing/index.js';
import { type Creds, WsClient, get, newCreds, obj, signed, tick, uuid, wsAuth } from './sim-helpers.js';

type Msg = Record<string, unknown>;

const alice: Creds = newCreds('alice');

const order = (oid: string) => ({
  product_id: 'BTC-USD',
  side: 'buy',
  type: 'limit',
  price: '25000.00',
  size: '0.01',
  client_oid: oid,
});

// The fault knobs on Coinbase's wire (a `message` body; 404 for an order it does
// not hold; 401 "request timestamp expired" outside the 30 s window), then the
// feed's own faults on the same simulator.
describeSimOrderFaults(
  'CoinbaseProSimulator',
  {
    start: () =>
      CoinbaseProSimulator.start({
        authenticatedBookChannels: false,
        accounts: [{ ...alice, balances: { USD: '100000', BTC: '10' } }],
      }),
    apiKey: alice.apiKey,
    clientOrderId: uuid,
    place: (sim, oid, signal) =>
      signed(sim.restUrl, 'POST', '/orders', alice, order(oid), signal === undefined ? {} : { signal }),
    lookup: (sim, oid) => signed(sim.restUrl, 'GET', `/orders/client:${oid}`, alice),
    restsAt: { pair: 'BTC-USD', level: [25000, 0.01] },
    answers: {
      failed: (status) => ({ status, body: { message: expect.any(String) } }),
      found: (oid) => ({ status: 200, body: { client_oid: oid, status: 'open' } }),
      notFound: { status: 404 },
      staleTimestamp: { status: 401, body: { message: 'request timestamp expired' } },
    },
    skewMs: 60_000,
    serverTime: async (sim) => (obj((await get(sim.restUrl, '/time')).body)['epoch'] as number) * 1000,
    privateRead: (sim, timestamp) =>
      signed(
        sim.restUrl,
        'GET',
        '/accounts',
        alice,
        undefined,
        timestamp === undefined ? {} : { timestamp: String(timestamp / 1000) },
      ),
  },
  (ctx) => {
    const connect = useWsClients(() => WsClient.connect(ctx.sim.wsUrl));

    /** Subscribes to `full` for BTC-USD and returns the client once subscribed. */
    const fullFeed = async (): Promise<WsClient> => {
      const ws = await connect();
      ws.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['full'] });
      await ws.next((f) => f['type'] === 'subscriptions');
      return ws;
    };
    /** Five resting orders of another account: five received + five open = ten full messages. */
    const fiveOrders = (): void => {
      ctx.sim.deposit('other', 'USD', 100_000);
      for (let i = 0; i < 5; i++) {
        ctx.sim
          .engine('BTC-USD')
          .place({ account: 'other', side: 'buy', type: 'limit', price: 20000 + i, amount: '0.1' });
      }
    };
    const sequences = (ws: WsClient): number[] =>
      ws.frames
        .filter((f): f is Msg => typeof f === 'object' && f !== null && 'sequence' in f)
        .map((f) => f['sequence'] as number);
    /** Subscribes to the authenticated `user` channel and returns the client once subscribed. */
    const userFeed = async (): Promise<WsClient> => {
      const ws = await connect();
      ws.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['user'], ...wsAuth(alice) });
      await ws.next((f) => f['type'] === 'subscriptions');
      return ws;
    };

    it('skipFullSequence: one full frame is never sent, the client sees a gap', async () => {
      const ws = await fullFeed();
      const start = ctx.sim.sequence('BTC-USD');
      ctx.sim.skipFullSequence('BTC-USD');
      fiveOrders();
      await ws.next((f) => f['sequence'] === start + 10);
      expect(sequences(ws)).toEqual([
        start + 2,
        start + 3,
        start + 4,
        start + 5,
        start + 6,
        start + 7,
        start + 8,
        start + 9,
        start + 10,
      ]);
    });

    it('repeatFullSequence and reorderFullSequence', async () => {
      const ws = await fullFeed();
      const s = ctx.sim.sequence('BTC-USD');
      ctx.sim.repeatFullSequence('BTC-USD');
      ctx.sim.faults.reorderSequence({ stream: 'full:BTC-USD' }, { skipFirst: 3 });
      fiveOrders();
      await ws.next((f) => f['sequence'] === s + 10);
      expect(sequences(ws).slice(0, 6)).toEqual([s + 1, s + 1, s + 2, s + 3, s + 5, s + 4]);
    });

    it('a malformed frame, then the real one', async () => {
      const ws = await fullFeed();
      ctx.sim.malformedFeedFrame({ pair: 'BTC-USD' });
      fiveOrders();
      await ws.next((f) => f['type'] === 'open');
      expect(ws.raw[1]).toBe('{"type":"match","trade_id":');
      expect(obj(ws.frames[2])['type']).toBe('received');
    });

    it('dropMarketSockets terminates feed connections, by product when given', async () => {
      const btc = await fullFeed();
      const eth = await connect();
      eth.send({ type: 'subscribe', product_ids: ['ETH-USD'], channels: ['heartbeat'] });
      await eth.next((f) => f['type'] === 'subscriptions');
      ctx.sim.dropMarketSockets('BTC-USD');
      await btc.waitClosed();
      await tick(30);
      expect(eth.closed).toBe(false);
    });

    it('marketStreamDown drops feed sockets and refuses reconnects until restored', async () => {
      await expectStreamOutage({
        down: () => ctx.sim.marketStreamDown(),
        subscribed: fullFeed,
        attempt: connect,
      });
    });

    it('userStreamDown drops user-channel sockets and refuses user subscriptions until restored; the public feed stays', async () => {
      const pub = await fullFeed();
      await expectStreamOutage({
        down: () => ctx.sim.userStreamDown(),
        subscribed: userFeed,
        attempt: async () => {
          const again = await connect();
          again.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['user'], ...wsAuth(alice) });
          return again;
        },
        unaffected: [pub],
      });
    });

    it('delayFeed holds frames back without reordering them', async () => {
      const ws = await fullFeed();
      const h = ctx.sim.delayFeed(80, { pair: 'BTC-USD' });
      const t0 = Date.now();
      fiveOrders();
      await ws.next((f) => f['type'] === 'open', 2000);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
      h.remove();
      const seqs = sequences(ws);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    });

    it('rateLimitNext: 429 with the documented body, unapplied', async () => {
      ctx.sim.rateLimitNext(1, { path: '/orders' });
      const r = await signed(ctx.sim.restUrl, 'POST', '/orders', alice, order(uuid()));
      expect(r).toMatchObject({ status: 429, body: { message: 'Private rate limit exceeded' } });
      expect(r.headers.get('retry-after')).toBe('1');
      expect(ctx.sim.engine('BTC-USD').openOrders('alice')).toHaveLength(0);
      ctx.sim.rateLimitNext(1, { path: '/products' });
      expect(await get(ctx.sim.restUrl, '/products')).toMatchObject({
        status: 429,
        body: { message: 'Public rate limit exceeded' },
      });
    });

    it('failNextOrder on DELETE with apply: cancelled, yet the client sees a 5xx', async () => {
      const oid = uuid();
      const o = obj((await signed(ctx.sim.restUrl, 'POST', '/orders', alice, order(oid))).body);
      ctx.sim.failNextOrder({ method: 'DELETE', apply: true, outcome: 503 });
      expect((await signed(ctx.sim.restUrl, 'DELETE', `/orders/${String(o['id'])}`, alice)).status).toBe(503);
      expect(ctx.sim.orderByClientOid('alice', oid)?.status).toBe('cancelled');
    });

    it('delayResponses slows REST answers', async () => {
      const h = ctx.sim.delayResponses(80, { path: '/time' });
      const t0 = Date.now();
      expect((await get(ctx.sim.restUrl, '/time')).status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
      h.remove();
    });
  },
);
