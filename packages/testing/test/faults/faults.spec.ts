import { SimClock } from '../../src/clock/sim-clock.js';
import { FaultInjector } from '../../src/faults/fault-injector.js';
import { applySequenceFault, nextSequence, planFrame } from '../../src/faults/frame-plan.js';
import { MatchingEngine } from '../../src/engine/matching-engine.js';
import { startHttpServer } from '../../src/server/http-server.js';
import { Router } from '../../src/server/router.js';
import { startWsServer, type WsConnection } from '../../src/server/ws-server.js';
import { httpCall, RecordingClient } from '../helpers/clients.js';

describe('sequence fault helpers (pure)', () => {
  it('skip drops a frame, repeat doubles it, reorder swaps it with the next', () => {
    expect(applySequenceFault([1, 2, 3, 4], 'skip', 1)).toEqual([1, 3, 4]);
    expect(applySequenceFault([1, 2, 3, 4], 'repeat', 1)).toEqual([1, 2, 2, 3, 4]);
    expect(applySequenceFault([1, 2, 3, 4], 'reorder', 1)).toEqual([1, 3, 2, 4]);
    expect(applySequenceFault([1, 2], 'reorder', 1)).toEqual([1, 2]); // nothing to swap with
    expect(nextSequence(41)).toBe(42);
    expect(nextSequence(41, 'skip')).toBe(43);
    expect(nextSequence(41, 'repeat')).toBe(41);
  });

  it('planFrame applies one fault to a frame and releases a held frame after the next one', () => {
    expect(planFrame(undefined, 'a', undefined)).toEqual({
      send: ['a'],
      hold: undefined,
      delayMs: 0,
      close: false,
    });
    expect(planFrame({ kind: 'skip' }, 'a', undefined).send).toEqual([]);
    expect(planFrame({ kind: 'repeat' }, 'a', undefined).send).toEqual(['a', 'a']);
    const held = planFrame({ kind: 'reorder' }, 'a', undefined);
    expect(held).toEqual({ send: [], hold: 'a', delayMs: 0, close: false });
    expect(planFrame(undefined, 'b', held.hold).send).toEqual(['b', 'a']);
    expect(planFrame({ kind: 'malformed', frame: '{', replace: false }, 'a', undefined).send).toEqual([
      '{',
      'a',
    ]);
    expect(planFrame({ kind: 'malformed', frame: '{', replace: true }, 'a', undefined).send).toEqual(['{']);
    expect(planFrame({ kind: 'delay', ms: 30 }, 'a', undefined).delayMs).toBe(30);
    expect(planFrame({ kind: 'drop' }, 'a', undefined)).toMatchObject({ send: ['a'], close: true });
  });
});

describe('FaultInjector rules', () => {
  it('matches by method, path (string or pattern) and predicate, and counts uses', () => {
    const f = new FaultInjector();
    const h = f.rateLimit({ method: 'post', path: /^\/api\/v3\/order$/ }, { times: 2, skipFirst: 1 });
    const order = { method: 'POST', path: '/api/v3/order' };
    expect(f.nextHttpFault({ method: 'GET', path: '/api/v3/order' })).toBeUndefined();
    expect(f.nextHttpFault(order)).toBeUndefined(); // skipFirst
    expect(f.nextHttpFault(order)?.kind).toBe('respond');
    expect(f.nextHttpFault(order)?.kind).toBe('respond');
    expect(f.nextHttpFault(order)).toBeUndefined();
    expect(h.hits).toBe(2);
    const t = f.timeout({ test: (r) => r.path.startsWith('/x') }, { times: Infinity });
    expect(f.nextHttpFault({ method: 'GET', path: '/x/1' })).toEqual({ kind: 'hang' });
    t.remove();
    expect(f.nextHttpFault({ method: 'GET', path: '/x/1' })).toBeUndefined();
  });

  it('skews the simulator clock', () => {
    const clock = new SimClock({ startMs: 1_000 });
    const f = new FaultInjector({ clock });
    f.skewClock(-2_500);
    expect(clock.now()).toBe(-1_500);
    expect(clock.baseNow()).toBe(1_000);
    f.clear();
    expect(clock.now()).toBe(1_000);
    expect(() => new FaultInjector().skewClock(1)).toThrow();
  });
});

describe('HTTP faults through the server', () => {
  function orderSim() {
    const engine = new MatchingEngine({ pair: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT' });
    let handled = 0;
    const router = new Router().post('/api/v3/order', (req) => {
      handled += 1;
      const o = engine.place({
        account: 'u',
        side: 'buy',
        type: 'limit',
        price: req.query.price ?? '1',
        amount: '1',
        clientOrderId: req.query.c,
      });
      return { status: 200, body: { orderId: o.orderId } };
    });
    return { engine, router, handled: () => handled };
  }

  it('answers 429 with Retry-After for the next request only, then serves normally', async () => {
    const { router, handled } = orderSim();
    const faults = new FaultInjector({ errorBody: (status) => ({ code: -1003, msg: `status ${status}` }) });
    const server = await startHttpServer(router, { faults });
    try {
      faults.rateLimit({ method: 'POST', path: '/api/v3/order' }, { retryAfterSec: 7 });
      const first = await httpCall(`${server.url}/api/v3/order?price=10&c=a`, { method: 'POST' });
      expect(first.status).toBe(429);
      expect(first.headers['retry-after']).toBe('7');
      expect(JSON.parse(first.body)).toEqual({ code: -1003, msg: 'status 429' });
      expect(handled()).toBe(0); // not applied
      const second = await httpCall(`${server.url}/api/v3/order?price=10&c=b`, { method: 'POST' });
      expect(second.status).toBe(200);
      expect(handled()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('applies the request but fails the response (5xx or no answer)', async () => {
    const { router, engine } = orderSim();
    const faults = new FaultInjector();
    const server = await startHttpServer(router, { faults });
    try {
      faults.applyButFail({ path: '/api/v3/order' }, { outcome: 502 });
      const res = await httpCall(`${server.url}/api/v3/order?price=10&c=lost-1`, { method: 'POST' });
      expect(res.status).toBe(502);
      expect(engine.getOrderByClientOrderId('u', 'lost-1')?.status).toBe('new'); // it reached the exchange

      faults.applyButFail({ path: '/api/v3/order' }, { outcome: 'timeout' });
      const hung = await httpCall(`${server.url}/api/v3/order?price=11&c=lost-2`, {
        method: 'POST',
        timeoutMs: 200,
      }).catch((e: unknown) => String(e));
      expect(hung).toMatch(/timeout/);
      expect(engine.getOrderByClientOrderId('u', 'lost-2')?.status).toBe('new');

      faults.serverError({ path: '/api/v3/order' });
      expect((await httpCall(`${server.url}/api/v3/order?c=never`, { method: 'POST' })).status).toBe(503);
      expect(engine.getOrderByClientOrderId('u', 'never')).toBeUndefined();

      faults.delayResponses({ path: '/api/v3/order' }, 20, { times: 1 });
      expect((await httpCall(`${server.url}/api/v3/order?price=12&c=slow`, { method: 'POST' })).status).toBe(
        200,
      );
    } finally {
      await server.close();
    }
  });
});

describe('stream faults through the WS server', () => {
  async function streamSetup(faults: FaultInjector) {
    const conns: WsConnection[] = [];
    const server = await startWsServer(
      (c) => {
        c.streams.add(c.path.replace('/ws/', ''));
        conns.push(c);
      },
      { faults },
    );
    const client = new RecordingClient(`${server.url}/ws/btcusdt@depth`);
    await client.opened;
    const conn = conns[0] as WsConnection;
    const sendSeq = (from: number, to: number): void => {
      for (let u = from; u <= to; u++) conn.send({ u }, { stream: 'btcusdt@depth' });
    };
    const seqs = (): number[] => client.frames.map((f) => (JSON.parse(f) as { u: number }).u);
    return { server, client, conn, sendSeq, seqs };
  }

  it('skips, repeats and reorders frames of the matching stream only', async () => {
    const faults = new FaultInjector();
    const { server, client, conn, sendSeq, seqs } = await streamSetup(faults);
    try {
      faults.skipSequence({ stream: 'btcusdt@depth' }, { skipFirst: 1 });
      faults.repeatSequence({ stream: /@depth$/ }, { skipFirst: 2 });
      faults.reorderSequence({ stream: 'btcusdt@depth' }, { skipFirst: 3 });
      faults.skipSequence({ stream: 'btcusdt@trade' }); // never matches
      conn.send({ u: 0 }); // no stream name: untouched, and no rule counts it
      sendSeq(1, 8);
      await client.waitFor(9);
      // 1 passes, 2 skipped (gap), 3 repeated, then 4 held and sent after 5.
      expect(seqs()).toEqual([0, 1, 3, 3, 5, 4, 6, 7, 8]);
      expect(faults.streamRules()).toHaveLength(1); // the trade rule is still waiting
    } finally {
      await server.close();
    }
  });

  it('sends a malformed frame, delays frames in order, and drops the socket after N messages', async () => {
    const faults = new FaultInjector();
    const { server, client, conn, sendSeq } = await streamSetup(faults);
    try {
      faults.malformedFrame({ path: '/ws/btcusdt@depth' }, { frame: '{"u":' });
      faults.delayFrames({ connectionId: conn.id }, 15, { times: 1, skipFirst: 1 });
      faults.dropSocket({ stream: 'btcusdt@depth' }, { afterMessages: 4 });
      sendSeq(1, 6);
      expect(await client.closed).toBe(1006);
      expect(client.frames).toEqual(['{"u":', '{"u":1}', '{"u":2}', '{"u":3}', '{"u":4}']);
      expect(conn.isOpen).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('drops matching connections now', async () => {
    const faults = new FaultInjector();
    const { server, client } = await streamSetup(faults);
    const other = new RecordingClient(`${server.url}/ws/ethusdt@trade`);
    await other.opened;
    try {
      faults.dropSocket({ stream: 'btcusdt@depth' });
      expect(await client.closed).toBe(1006);
      expect(server.connections().map((c) => c.path)).toEqual(['/ws/ethusdt@trade']);
    } finally {
      await server.close();
    }
    await other.closed;
  });

  it('silences matching connections (no frames, no pongs) until restored; new connections are healthy', async () => {
    const faults = new FaultInjector();
    const { server, client, conn, sendSeq, seqs } = await streamSetup(faults);
    try {
      sendSeq(1, 1);
      await client.waitFor(1);
      const pong = (): Promise<boolean> =>
        new Promise((resolve) => {
          const t = setTimeout(() => resolve(false), 300);
          client.ws.once('pong', () => {
            clearTimeout(t);
            resolve(true);
          });
          client.ws.ping();
        });
      expect(await pong()).toBe(true);
      const handle = faults.silenceSocket({ stream: 'btcusdt@depth' });
      expect(conn.isSilenced).toBe(true);
      sendSeq(2, 3);
      expect(await pong()).toBe(false);
      expect(conn.isOpen).toBe(true);
      const fresh = new RecordingClient(`${server.url}/ws/btcusdt@depth`);
      await fresh.opened;
      expect(server.connections().filter((c) => c.isSilenced)).toHaveLength(1);
      handle.restore();
      sendSeq(4, 4);
      await client.waitFor(2);
      expect(seqs()).toEqual([1, 4]);
      fresh.ws.close();
      await fresh.closed;
    } finally {
      await server.close();
    }
  });
});
