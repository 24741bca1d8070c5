import { BinanceSimulator } from '../../src/testing/index.js';
import type {
  BinanceDepthSnapshot,
  BinanceDepthUpdateEvent,
  BinanceTradeEvent,
} from '../../src/binance-types.js';
import { get, obj, tick, WsClient } from './sim-helpers.js';
import { useWsClients } from '@hb/testing/suites';

const isDepth = (f: unknown): f is BinanceDepthUpdateEvent =>
  typeof f === 'object' && f !== null && (f as { e?: unknown }).e === 'depthUpdate';

/** Applies events to a [price -> qty] book the way a Binance client must. */
function applyLevels(book: Map<number, number>, levels: readonly (readonly [string, string])[]): void {
  for (const [p, q] of levels) {
    if (Number(q) === 0) book.delete(Number(p));
    else book.set(Number(p), Number(q));
  }
}

function sorted(book: Map<number, number>, side: 'bid' | 'ask'): [number, number][] {
  return [...book.entries()].sort((a, b) => (side === 'bid' ? b[0] - a[0] : a[0] - b[0]));
}

describe('BinanceSimulator market streams', () => {
  let sim: BinanceSimulator;
  const connect = useWsClients((path: string) => WsClient.connect(`${sim.wsUrl}${path}`));

  beforeEach(async () => {
    sim = await BinanceSimulator.start({ depthMode: 'immediate' });
  });
  afterEach(async () => {
    await sim.stop();
  });

  const untilSeq = (c: WsClient, pair = 'BTC-USDT') => {
    const seq = sim.bookSequence(pair);
    return c.next((f) => isDepth(f) && f.u === seq);
  };

  it('numbers depth updates continuously from the book sequence (U = previous u + 1)', async () => {
    const c = await connect('/ws/btcusdt@depth@100ms');
    const act = sim.activity(7, { pairs: ['BTC-USDT'] });
    for (let i = 0; i < 20; i++) {
      act.step(5);
      await tick(1);
    }
    await untilSeq(c);
    const events = c.frames.filter(isDepth);
    expect(events.length).toBeGreaterThan(5);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]?.U).toBe((events[i - 1]?.u ?? 0) + 1);
      expect(events[i]?.U).toBeLessThanOrEqual(events[i]?.u ?? 0);
    }
    expect(events[0]).toMatchObject({ e: 'depthUpdate', s: 'BTCUSDT' });
  });

  it('a snapshot plus the stream after it reconstructs the true book (binance.md §5 procedure)', async () => {
    const c = await connect('/ws/btcusdt@depth');
    const act = sim.activity(11, { pairs: ['BTC-USDT'] });
    act.step(40);
    await tick(5);
    const snap = (await get(sim.restUrl, '/api/v3/depth', { symbol: 'BTCUSDT', limit: '5000' }))
      .body as BinanceDepthSnapshot;
    act.step(60);
    await untilSeq(c);

    const events = c.frames.filter(isDepth).filter((e) => e.u > snap.lastUpdateId);
    const first = events[0] as BinanceDepthUpdateEvent;
    expect(first.U).toBeLessThanOrEqual(snap.lastUpdateId + 1);
    expect(first.u).toBeGreaterThanOrEqual(snap.lastUpdateId + 1);
    const bids = new Map<number, number>();
    const asks = new Map<number, number>();
    applyLevels(bids, snap.bids);
    applyLevels(asks, snap.asks);
    for (const e of events) {
      applyLevels(bids, e.b);
      applyLevels(asks, e.a);
    }
    const truth = sim.trueBook('BTC-USDT');
    expect(truth.bids.length).toBeGreaterThan(0);
    expect(sorted(bids, 'bid')).toEqual(truth.bids);
    expect(sorted(asks, 'ask')).toEqual(truth.asks);
  });

  it('wraps combined streams as {stream, data} and answers live SUBSCRIBE / LIST_SUBSCRIPTIONS / UNSUBSCRIBE', async () => {
    const c = await connect('/stream?streams=btcusdt@depth@100ms');
    c.send({ method: 'SUBSCRIBE', params: ['btcusdt@trade'], id: 1 });
    expect(await c.next((f) => obj(f)['id'] === 1)).toEqual({ result: null, id: 1 });
    c.send({ method: 'LIST_SUBSCRIPTIONS', id: 'list-2' });
    expect(await c.next((f) => obj(f)['id'] === 'list-2')).toEqual({
      result: ['btcusdt@depth@100ms', 'btcusdt@trade'],
      id: 'list-2',
    });

    sim.createAccount({ apiKey: 'm', apiSecret: 's', balances: { BTC: '1', USDT: '100000' } });
    const e = sim.engine('BTC-USDT');
    e.place({ account: 'm', side: 'buy', type: 'limit', price: '29990', amount: '0.01' });
    sim.takeFromAccount('m', 'BTC-USDT', 'buy', '29990', '0.004');

    const trade = obj(await c.next((f) => obj(f)['stream'] === 'btcusdt@trade'));
    const data = trade['data'] as BinanceTradeEvent;
    // The taker sold into a resting bid: the buyer was the maker.
    expect(data).toMatchObject({ e: 'trade', s: 'BTCUSDT', p: '29990.00000000', q: '0.00400000', m: true });
    const depth = obj(await c.next((f) => obj(f)['stream'] === 'btcusdt@depth@100ms'));
    expect(obj(depth['data'])['e']).toBe('depthUpdate');

    c.send({ method: 'UNSUBSCRIBE', params: ['btcusdt@trade'], id: 3 });
    expect(await c.next((f) => obj(f)['id'] === 3)).toEqual({ result: null, id: 3 });
    c.send({ method: 'SUBSCRIBE', params: ['BTCUSDT@trade'], id: 4 });
    expect(obj(await c.next((f) => obj(f)['id'] === 4))['code']).toBe(2);
  });

  it('sends raw (unwrapped) events on /ws and trade m=false when the taker bought', async () => {
    const c = await connect('/ws/btcusdt@trade');
    sim.createAccount({ apiKey: 'm', apiSecret: 's', balances: { BTC: '1' } });
    sim
      .engine('BTC-USDT')
      .place({ account: 'm', side: 'sell', type: 'limit', price: '30010', amount: '0.01' });
    sim.takeFromAccount('m', 'BTC-USDT', 'sell', '30010', '0.002');
    expect(await c.next((f) => obj(f)['e'] === 'trade')).toMatchObject({
      e: 'trade',
      m: false,
      M: true,
      t: expect.any(Number),
    });
  });

  it('batches in manual mode until flush()', async () => {
    await sim.stop();
    sim = await BinanceSimulator.start({ depthMode: 'manual' });
    const c = await connect('/ws/btcusdt@depth@100ms');
    sim.activity(3, { pairs: ['BTC-USDT'] }).step(10);
    await tick(30);
    expect(c.frames.filter(isDepth)).toEqual([]);
    sim.flush();
    const ev = await c.next<BinanceDepthUpdateEvent>(isDepth);
    expect(ev.U).toBe(1);
    expect(ev.u).toBe(sim.bookSequence('BTC-USDT'));
  });

  it('skips a depth update on demand: the client sees a gap', async () => {
    const c = await connect('/ws/btcusdt@depth@100ms');
    const act = sim.activity(5, { pairs: ['BTC-USDT'] });
    act.step(3);
    await tick(5);
    sim.skipDepthUpdate('BTC-USDT');
    act.step(3);
    await tick(5);
    act.step(3);
    await untilSeq(c);
    const events = c.frames.filter(isDepth);
    const gaps = events.slice(1).filter((e, i) => e.U !== (events[i]?.u ?? 0) + 1);
    expect(gaps.length).toBe(1);
  });

  it('serves a stale snapshot older than the stream on demand', async () => {
    sim.activity(9, { pairs: ['BTC-USDT'] }).step(20);
    sim.staleSnapshot('BTC-USDT');
    const c = await connect('/ws/btcusdt@depth');
    sim.activity(10, { pairs: ['BTC-USDT'] }).step(20);
    const firstU = (await c.next<BinanceDepthUpdateEvent>(isDepth)).U;
    const stale = (await get(sim.restUrl, '/api/v3/depth', { symbol: 'BTCUSDT' }))
      .body as BinanceDepthSnapshot;
    expect(stale.lastUpdateId).toBeLessThan(firstU);
    const fresh = (await get(sim.restUrl, '/api/v3/depth', { symbol: 'BTCUSDT' }))
      .body as BinanceDepthSnapshot;
    expect(fresh.lastUpdateId).toBe(sim.bookSequence('BTC-USDT'));
  });

  it('a stale snapshot `behind` n changes is the book as it was then', async () => {
    const act = sim.activity(4, { pairs: ['BTC-USDT'] });
    act.step(10);
    const seq = sim.bookSequence('BTC-USDT');
    const then = (await get(sim.restUrl, '/api/v3/depth', { symbol: 'BTCUSDT' }))
      .body as BinanceDepthSnapshot;
    act.step(10);
    const behind = sim.bookSequence('BTC-USDT') - seq;
    sim.staleSnapshot('BTC-USDT', { behind });
    const old = (await get(sim.restUrl, '/api/v3/depth', { symbol: 'BTCUSDT' })).body as BinanceDepthSnapshot;
    expect(old).toEqual(then);
  });

  it('disconnects a client sending more than 5 messages per second, and can inject a malformed frame', async () => {
    const noisy = await connect('/ws');
    for (let i = 0; i < 7; i++) noisy.send({ method: 'LIST_SUBSCRIPTIONS', id: i });
    await noisy.waitClosed();

    const c = await connect('/ws/btcusdt@depth@100ms');
    sim.malformedMarketFrame({ pair: 'BTC-USDT' });
    sim.activity(1, { pairs: ['BTC-USDT'] }).step(3);
    await untilSeq(c);
    expect(c.raw[0]).toBe('{"e":"depthUpdate","b":[[');
  });

  it('drops market sockets on demand and refuses them during an outage', async () => {
    const c = await connect('/ws/btcusdt@depth');
    sim.dropMarketSockets();
    await c.waitClosed();
    const outage = sim.marketStreamDown();
    const refused = await connect('/ws/btcusdt@depth');
    await refused.waitClosed();
    outage.restore();
    const ok = await connect('/ws/btcusdt@depth');
    await tick(20);
    expect(ok.closed).toBe(false);
  });

  it('in interval mode sends @depth@100ms batches on its own timer, and pings clients', async () => {
    await sim.stop();
    sim = await BinanceSimulator.start({ depthMode: 'interval', pingIntervalMs: 50 });
    const c = await connect('/ws/btcusdt@depth@100ms');
    const pinged = new Promise<void>((resolve) => c.ws.once('ping', () => resolve()));
    sim.activity(2, { pairs: ['BTC-USDT'] }).step(5);
    const ev = await c.next<BinanceDepthUpdateEvent>(isDepth);
    expect(ev.U).toBe(1);
    await pinged;
  });

  it('enforces the documented connection limits: attempts per 5 minutes, and pings count as incoming messages', async () => {
    sim.rateLimits.set({ maxConnectionsPer5Min: 2 });
    await connect('/ws/btcusdt@trade');
    await connect('/ws/btcusdt@trade');
    const third = await connect('/ws/btcusdt@trade');
    await third.waitClosed();
    expect(sim.marketConnections()).toHaveLength(2);

    sim.rateLimits.set({ maxConnectionsPer5Min: 300 });
    const pinger = await connect('/ws/ethusdt@trade');
    for (let i = 0; i < 6; i++) pinger.ws.ping();
    await pinger.waitClosed();
  });
});
