import { BinanceSimulator } from '../../src/testing/index.js';
import type { BinanceExecutionReport, BinanceOutboundAccountPosition } from '../../src/binance-types.js';
import { type Creds, obj, sign, signed, tick, WsClient } from './sim-helpers.js';
import { expectStreamOutage, useWsClients } from '@hb/testing/suites';

const ALICE: Creds = { apiKey: 'alice-key', apiSecret: 'alice-secret' };

type Envelope<E> = { subscriptionId: number; event: E };
const eventOf =
  (e: string, pred: (ev: Record<string, unknown>) => boolean = () => true) =>
  (f: unknown): boolean => {
    if (typeof f !== 'object' || f === null) return false;
    const ev = (f as { event?: Record<string, unknown> }).event;
    return ev !== undefined && ev['e'] === e && pred(ev);
  };

function subscribeRequest(creds: Creds, id: string, timestamp = Date.now()): Record<string, unknown> {
  const payload = `apiKey=${creds.apiKey}&timestamp=${timestamp}`;
  return {
    id,
    method: 'userDataStream.subscribe.signature',
    params: { apiKey: creds.apiKey, timestamp, signature: sign(creds.apiSecret, payload) },
  };
}

describe('BinanceSimulator WebSocket API and user data stream', () => {
  let sim: BinanceSimulator;
  const connect = useWsClients(() => WsClient.connect(sim.wsApiUrl));
  const subscribed = async (): Promise<WsClient> => {
    const c = await connect();
    c.send(subscribeRequest(ALICE, 'sub-1'));
    await c.next((f) => obj(f)['id'] === 'sub-1');
    return c;
  };

  beforeEach(async () => {
    sim = await BinanceSimulator.start({
      depthMode: 'manual',
      accounts: [{ ...ALICE, balances: { BTC: '0.5', USDT: '10000' } }],
    });
  });
  afterEach(async () => {
    await sim.stop();
  });

  it('subscribes with a good signature and refuses a bad one', async () => {
    const c = await connect();
    c.send(subscribeRequest(ALICE, 'ok-1'));
    const ok = obj(await c.next((f) => obj(f)['id'] === 'ok-1'));
    expect(ok).toMatchObject({ id: 'ok-1', status: 200, result: { subscriptionId: 0 } });
    expect(ok['rateLimits']).toEqual([
      {
        rateLimitType: 'REQUEST_WEIGHT',
        interval: 'MINUTE',
        intervalNum: 1,
        limit: 6000,
        count: expect.any(Number),
      },
    ]);

    c.send(subscribeRequest({ ...ALICE, apiSecret: 'wrong' }, 'bad-1'));
    expect(await c.next((f) => obj(f)['id'] === 'bad-1')).toMatchObject({
      id: 'bad-1',
      status: 400,
      error: { code: -1022, msg: 'Signature for this request is not valid.' },
    });
    c.send(subscribeRequest(ALICE, 'old-1', Date.now() - 60_000));
    expect(obj(await c.next((f) => obj(f)['id'] === 'old-1'))['error']).toMatchObject({ code: -1021 });
    c.send({ id: 7, method: 'time' });
    expect(obj(await c.next((f) => obj(f)['id'] === 7))['result']).toEqual({
      serverTime: expect.any(Number),
    });
    expect(sim.userStreamSubscriptions()).toEqual([
      { apiKey: ALICE.apiKey, subscriptionId: 0, connectionId: expect.any(Number) },
    ]);
  });

  it('sends NEW, TRADE executionReports and an outboundAccountPosition with the changed assets only', async () => {
    const c = await subscribed();
    const placed = await signed(sim.restUrl, 'POST', '/api/v3/order', ALICE, {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: '30000.00',
      quantity: '0.01000',
      newClientOrderId: 'hb-sell-1',
    });
    const orderId = obj(placed.body)['orderId'];
    const neu = await c.next<Envelope<BinanceExecutionReport>>(
      eventOf('executionReport', (e) => e['x'] === 'NEW'),
    );
    expect(neu.subscriptionId).toBe(0);
    expect(neu.event).toMatchObject({
      c: 'hb-sell-1',
      C: '',
      X: 'NEW',
      S: 'SELL',
      o: 'LIMIT',
      i: orderId,
      t: -1,
      N: null,
    });

    sim.takeFromAccount(ALICE.apiKey, 'BTC-USDT', 'sell', '30000', '0.004');
    const fill = await c.next<Envelope<BinanceExecutionReport>>(
      eventOf('executionReport', (e) => e['x'] === 'TRADE'),
    );
    expect(fill.event).toMatchObject({
      e: 'executionReport',
      s: 'BTCUSDT',
      c: 'hb-sell-1',
      C: '',
      x: 'TRADE',
      X: 'PARTIALLY_FILLED',
      i: orderId,
      q: '0.01000000',
      p: '30000.00000000',
      l: '0.00400000',
      z: '0.00400000',
      L: '30000.00000000',
      Z: '120.00000000',
      Y: '120.00000000',
      n: '0.12000000',
      N: 'USDT',
      m: true,
      t: expect.any(Number),
      r: 'NONE',
      V: 'EXPIRE_MAKER',
    });
    // Same field set as binance.md §8c's example.
    expect(Object.keys(fill.event).sort()).toEqual(
      [
        'e',
        'E',
        's',
        'c',
        'S',
        'o',
        'f',
        'q',
        'p',
        'P',
        'F',
        'g',
        'C',
        'x',
        'X',
        'r',
        'i',
        'l',
        'z',
        'L',
        'n',
        'N',
        'T',
        't',
        'I',
        'w',
        'm',
        'M',
        'O',
        'Z',
        'Y',
        'Q',
        'W',
        'V',
      ].sort(),
    );
    const pos = await c.next<Envelope<BinanceOutboundAccountPosition>>(
      eventOf('outboundAccountPosition', (e) => (e['B'] as unknown[]).length === 2),
    );
    expect([...pos.event.B].sort((x, y) => x.a.localeCompare(y.a))).toEqual([
      { a: 'BTC', f: '0.49000000', l: '0.00600000' },
      { a: 'USDT', f: '10119.88000000', l: '0.00000000' },
    ]);
    expect(sim.ledgerFilledAmount(ALICE.apiKey, 'hb-sell-1').toFixed()).toBe('0.004');
  });

  it('reports a cancel with c = the cancel request id and C = the original client id', async () => {
    const c = await subscribed();
    await signed(sim.restUrl, 'POST', '/api/v3/order', ALICE, {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      price: '20000.00',
      quantity: '0.001',
      newClientOrderId: 'hb-buy-1',
    });
    await signed(sim.restUrl, 'DELETE', '/api/v3/order', ALICE, {
      symbol: 'BTCUSDT',
      origClientOrderId: 'hb-buy-1',
      newClientOrderId: 'hb-cxl-1',
    });
    const ev = await c.next<Envelope<BinanceExecutionReport>>(
      eventOf('executionReport', (e) => e['x'] === 'CANCELED'),
    );
    expect(ev.event).toMatchObject({
      c: 'hb-cxl-1',
      C: 'hb-buy-1',
      X: 'CANCELED',
      o: 'LIMIT_MAKER',
      f: 'GTC',
      w: false,
    });
  });

  it('sends EXPIRED for an IOC remainder', async () => {
    const c = await subscribed();
    await signed(sim.restUrl, 'POST', '/api/v3/order', ALICE, {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'IOC',
      price: '20000.00',
      quantity: '0.001',
      newClientOrderId: 'ioc-1',
    });
    const ev = await c.next<Envelope<BinanceExecutionReport>>(
      eventOf('executionReport', (e) => e['x'] === 'EXPIRED'),
    );
    expect(ev.event).toMatchObject({ c: 'ioc-1', X: 'EXPIRED', f: 'IOC', z: '0.00000000' });
  });

  it('terminates a subscription with eventStreamTerminated; unsubscribed sockets get no events', async () => {
    const c = await subscribed();
    expect(sim.terminateUserStream(ALICE.apiKey)).toBe(1);
    const term = await c.next<Envelope<{ e: string; E: number }>>(eventOf('eventStreamTerminated'));
    expect(term).toEqual({ subscriptionId: 0, event: { e: 'eventStreamTerminated', E: expect.any(Number) } });
    expect(sim.userStreamSubscriptions()).toEqual([]);
    sim.deposit(ALICE.apiKey, 'USDT', '1');
    await tick(30);
    expect(c.frames.filter(eventOf('balanceUpdate'))).toEqual([]);
    expect(c.closed).toBe(false);
  });

  it('sends balanceUpdate for a deposit', async () => {
    const c = await subscribed();
    sim.deposit(ALICE.apiKey, 'ETH', '2');
    const ev = await c.next<Envelope<Record<string, unknown>>>(eventOf('balanceUpdate'));
    expect(ev.event).toMatchObject({ e: 'balanceUpdate', a: 'ETH', d: '2.00000000' });
  });

  it('drops user sockets and refuses reconnects while the user stream is down', async () => {
    await expectStreamOutage({ down: () => sim.userStreamDown(), subscribed, attempt: connect });
    expect(sim.userStreamSubscriptions().length).toBe(1);
  });
});
