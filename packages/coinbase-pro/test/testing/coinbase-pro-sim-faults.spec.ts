import { CoinbaseProSimulator } from '../../src/testing/index.js';
import { type Creds, WsClient, get, newCreds, obj, sign, signed, tick, uuid, wsAuth } from './sim-helpers.js';
import { useWsClients } from '@hb/testing/suites';

type Msg = Record<string, unknown>;

describe('CoinbaseProSimulator faults', () => {
  const alice: Creds = newCreds('alice');
  let sim: CoinbaseProSimulator;
  const connect = useWsClients(() => WsClient.connect(sim.wsUrl));

  beforeEach(async () => {
    sim = await CoinbaseProSimulator.start({
      authenticatedBookChannels: false,
      accounts: [{ ...alice, balances: { USD: '100000', BTC: '10' } }],
    });
  });
  afterEach(async () => {
    await sim.stop();
  });

  const order = (oid: string) => ({
    product_id: 'BTC-USD',
    side: 'buy',
    type: 'limit',
    price: '25000.00',
    size: '0.01',
    client_oid: oid,
  });

  /** Subscribes to `full` for BTC-USD and returns the client once subscribed. */
  const fullFeed = async (): Promise<WsClient> => {
    const ws = await connect();
    ws.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['full'] });
    await ws.next((f) => f['type'] === 'subscriptions');
    return ws;
  };
  /** Five resting orders of another account: five received + five open = ten full messages. */
  const fiveOrders = (): void => {
    sim.deposit('other', 'USD', 100_000);
    for (let i = 0; i < 5; i++) {
      sim
        .engine('BTC-USD')
        .place({ account: 'other', side: 'buy', type: 'limit', price: 20000 + i, amount: '0.1' });
    }
  };
  const sequences = (ws: WsClient): number[] =>
    ws.frames
      .filter((f): f is Msg => typeof f === 'object' && f !== null && 'sequence' in f)
      .map((f) => f['sequence'] as number);

  it('skipFullSequence: one full frame is never sent, the client sees a gap', async () => {
    const ws = await fullFeed();
    const start = sim.sequence('BTC-USD');
    sim.skipFullSequence('BTC-USD');
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
    const s = sim.sequence('BTC-USD');
    sim.repeatFullSequence('BTC-USD');
    sim.faults.reorderSequence({ stream: 'full:BTC-USD' }, { skipFirst: 3 });
    fiveOrders();
    await ws.next((f) => f['sequence'] === s + 10);
    expect(sequences(ws).slice(0, 6)).toEqual([s + 1, s + 1, s + 2, s + 3, s + 5, s + 4]);
  });

  it('a malformed frame, then the real one', async () => {
    const ws = await fullFeed();
    sim.malformedFeedFrame({ pair: 'BTC-USD' });
    fiveOrders();
    await ws.next((f) => f['type'] === 'open');
    expect(ws.raw[1]).toBe('{"type":"match","trade_id":');
    expect(obj(ws.frames[2])['type']).toBe('received');
  });

  it('dropMarketSockets terminates feed connections (by product when given); marketStreamDown refuses reconnects', async () => {
    const btc = await fullFeed();
    const eth = await connect();
    eth.send({ type: 'subscribe', product_ids: ['ETH-USD'], channels: ['heartbeat'] });
    await eth.next((f) => f['type'] === 'subscriptions');
    sim.dropMarketSockets('BTC-USD');
    await btc.waitClosed();
    await tick(30);
    expect(eth.closed).toBe(false);
    const outage = sim.marketStreamDown();
    await eth.waitClosed();
    const refused = await connect();
    await refused.waitClosed();
    outage.restore();
    const back = await fullFeed();
    expect(back.closed).toBe(false);
  });

  it('userStreamDown drops user-channel sockets and refuses user subscriptions until restored', async () => {
    const user = await connect();
    user.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['user'], ...wsAuth(alice) });
    await user.next((f) => f['type'] === 'subscriptions');
    const pub = await fullFeed();
    const outage = sim.userStreamDown();
    await user.waitClosed();
    const again = await connect();
    again.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['user'], ...wsAuth(alice) });
    await again.waitClosed();
    expect(pub.closed).toBe(false);
    outage.restore();
    const ok = await connect();
    ok.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['user'], ...wsAuth(alice) });
    await ok.next((f) => f['type'] === 'subscriptions');
  });

  it('delayFeed holds frames back without reordering them', async () => {
    const ws = await fullFeed();
    const h = sim.delayFeed(80, { pair: 'BTC-USD' });
    const t0 = Date.now();
    fiveOrders();
    await ws.next((f) => f['type'] === 'open', 2000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
    h.remove();
    const seqs = sequences(ws);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('rateLimitNext: 429 with the documented body, unapplied', async () => {
    sim.rateLimitNext(1, { path: '/orders' });
    const r = await signed(sim.restUrl, 'POST', '/orders', alice, order(uuid()));
    expect(r).toMatchObject({ status: 429, body: { message: 'Private rate limit exceeded' } });
    expect(r.headers.get('retry-after')).toBe('1');
    expect(sim.engine('BTC-USD').openOrders('alice')).toHaveLength(0);
    sim.rateLimitNext(1, { path: '/products' });
    expect(await get(sim.restUrl, '/products')).toMatchObject({
      status: 429,
      body: { message: 'Public rate limit exceeded' },
    });
  });

  it('failNextOrder with apply: placed, the client sees a 5xx, a lookup by client_oid finds it', async () => {
    const oid = uuid();
    sim.failNextOrder({ apply: true, outcome: 502 });
    const r = await signed(sim.restUrl, 'POST', '/orders', alice, order(oid));
    expect(r.status).toBe(502);
    expect(typeof obj(r.body)['message']).toBe('string');
    expect(sim.orderRequestCount('alice')).toBe(1);
    const q = await signed(sim.restUrl, 'GET', `/orders/client:${oid}`, alice);
    expect(q).toMatchObject({ status: 200, body: { client_oid: oid, status: 'open' } });
  });

  it('failNextOrder without apply: nothing placed', async () => {
    const oid = uuid();
    sim.failNextOrder({ outcome: 500 });
    expect((await signed(sim.restUrl, 'POST', '/orders', alice, order(oid))).status).toBe(500);
    expect(await signed(sim.restUrl, 'GET', `/orders/client:${oid}`, alice)).toMatchObject({ status: 404 });
    expect((await signed(sim.restUrl, 'POST', '/orders', alice, order(oid))).status).toBe(200);
    expect(sim.orderRequestCount('alice')).toBe(2);
  });

  it('failNextOrder timeouts, applied and not applied', async () => {
    const send = async (oid: string): Promise<void> => {
      const body = JSON.stringify(order(oid));
      const ts = String(Date.now() / 1000);
      const ac = new AbortController();
      const t = setTimeout(() => ac.abort(), 150);
      await expect(
        fetch(`${sim.restUrl}/orders`, {
          method: 'POST',
          body,
          signal: ac.signal,
          headers: {
            'CB-ACCESS-KEY': alice.apiKey,
            'CB-ACCESS-SIGN': sign(alice.apiSecret, ts, 'POST', '/orders', body),
            'CB-ACCESS-TIMESTAMP': ts,
            'CB-ACCESS-PASSPHRASE': alice.passphrase,
          },
        }),
      ).rejects.toThrow();
      clearTimeout(t);
    };
    const applied = uuid();
    sim.failNextOrder({ apply: true, outcome: 'timeout' });
    await send(applied);
    expect(sim.orderByClientOid('alice', applied)?.status).toBe('new');
    const lost = uuid();
    sim.failNextOrder({ outcome: 'timeout' });
    await send(lost);
    expect(sim.orderByClientOid('alice', lost)).toBeUndefined();
  });

  it('failNextOrder on DELETE with apply: cancelled, yet the client sees a 5xx', async () => {
    const oid = uuid();
    const o = obj((await signed(sim.restUrl, 'POST', '/orders', alice, order(oid))).body);
    sim.failNextOrder({ method: 'DELETE', apply: true, outcome: 503 });
    expect((await signed(sim.restUrl, 'DELETE', `/orders/${String(o['id'])}`, alice)).status).toBe(503);
    expect(sim.orderByClientOid('alice', oid)?.status).toBe('cancelled');
  });

  it('clock skew: the server runs ahead, an unsynced client gets "request timestamp expired" until it syncs', async () => {
    sim.skewClock(60_000);
    const epoch = obj((await get(sim.restUrl, '/time')).body)['epoch'] as number;
    expect(epoch - Date.now() / 1000).toBeGreaterThan(59);
    expect(await signed(sim.restUrl, 'GET', '/accounts', alice)).toMatchObject({
      status: 401,
      body: { message: 'request timestamp expired' },
    });
    expect(
      (await signed(sim.restUrl, 'GET', '/accounts', alice, undefined, { timestamp: String(epoch) })).status,
    ).toBe(200);
    sim.clearFaults();
    expect((await signed(sim.restUrl, 'GET', '/accounts', alice)).status).toBe(200);
  });

  it('delayResponses slows REST answers', async () => {
    const h = sim.delayResponses(80, { path: '/time' });
    const t0 = Date.now();
    expect((await get(sim.restUrl, '/time')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
    h.remove();
  });
});
