import { CoinbaseProSimulator } from '../../src/testing/index.js';
import { type Creds, WsClient, arr, get, newCreds, obj, signed, tick, uuid, wsAuth } from './sim-helpers.js';
import { useWsClients } from '@hb/testing/suites';

type Msg = Record<string, unknown>;

/** Rebuilds an order-level book from a level-3 snapshot and the full channel (coinbase-pro.md §5 procedure). */
function replay(
  snapshot: Msg,
  messages: readonly Msg[],
): { bids: [number, number][]; asks: [number, number][]; last: number } {
  const orders = new Map<string, { side: 'buy' | 'sell'; price: number; size: number }>();
  for (const [side, key] of [
    ['buy', 'bids'],
    ['sell', 'asks'],
  ] as const) {
    for (const [price, size, id] of snapshot[key] as [string, string, string][]) {
      orders.set(id, { side, price: Number(price), size: Number(size) });
    }
  }
  let last = snapshot['sequence'] as number;
  for (const m of messages) {
    const seq = m['sequence'] as number;
    if (seq <= last) continue;
    if (seq !== last + 1) throw new Error(`gap: ${last} -> ${seq}`);
    last = seq;
    switch (m['type']) {
      case 'open':
        orders.set(m['order_id'] as string, {
          side: m['side'] as 'buy' | 'sell',
          price: Number(m['price']),
          size: Number(m['remaining_size']),
        });
        break;
      case 'match': {
        const o = orders.get(m['maker_order_id'] as string);
        if (o !== undefined) o.size = Number((o.size - Number(m['size'])).toFixed(8));
        if (o !== undefined && o.size <= 0) orders.delete(m['maker_order_id'] as string);
        break;
      }
      case 'done':
        orders.delete(m['order_id'] as string);
        break;
      case 'change': {
        const o = orders.get(m['order_id'] as string);
        if (o !== undefined && m['price'] !== null) o.size = Number(m['new_size']);
        break;
      }
      default:
        break;
    }
  }
  const levels = (side: 'buy' | 'sell'): [number, number][] => {
    const agg = new Map<number, number>();
    for (const o of orders.values())
      if (o.side === side) agg.set(o.price, Number(((agg.get(o.price) ?? 0) + o.size).toFixed(8)));
    return [...agg.entries()].sort((a, b) => (side === 'buy' ? b[0] - a[0] : a[0] - b[0]));
  };
  return { bids: levels('buy'), asks: levels('sell'), last };
}

describe('CoinbaseProSimulator feed', () => {
  const alice: Creds = newCreds('alice');
  let sim: CoinbaseProSimulator;
  const connect = useWsClients(() => WsClient.connect(sim.wsUrl));

  beforeEach(async () => {
    // The historical public feed, so the channel mechanics can be driven without signing.
    sim = await CoinbaseProSimulator.start({
      authenticatedBookChannels: false,
      heartbeatIntervalMs: 40,
      accounts: [{ ...alice, balances: { USD: '1000000', BTC: '100' } }],
    });
  });
  afterEach(async () => {
    await sim.stop();
  });

  const place = (body: unknown) => signed(sim.restUrl, 'POST', '/orders', alice, body);

  it('level-3 snapshot + full channel replay reconstructs the true book (sequence +1 per product, private copies not counted)', async () => {
    const activity = sim.activity(11, { pairs: ['BTC-USD', 'ETH-USD'] });
    activity.step(60);
    const ws = await connect();
    ws.send({
      type: 'subscribe',
      product_ids: ['BTC-USD', 'ETH-USD'],
      channels: ['full', { name: 'user', product_ids: ['BTC-USD'] }],
      ...wsAuth(alice),
    });
    await ws.next((f) => f['type'] === 'subscriptions');
    activity.step(40);
    // Our own orders: one rests alone at the best ask, then a self-trade shrinks it
    // (dc -> change), later a cancel. Widen the spread first so there is room inside it.
    const e = sim.engine('BTC-USD');
    while (
      (e
        .bestAsk()
        ?.minus(e.bestBid() ?? 0)
        .toNumber() ?? 1) < 0.02
    ) {
      const [p, a] = e.levels('ask', 1)[0] as [string, string];
      sim.takeFromAccount('nobody', 'BTC-USD', 'sell', p, a);
    }
    const px = (e.bestBid()?.plus('0.01') ?? 30000).toFixed(2);
    const own = obj(
      (
        await place({
          product_id: 'BTC-USD',
          side: 'sell',
          type: 'limit',
          price: px,
          size: '1',
          client_oid: uuid(),
        })
      ).body,
    );
    await place({ product_id: 'BTC-USD', side: 'buy', type: 'limit', price: px, size: '0.25' });
    const snapshot = obj((await get(sim.restUrl, '/products/BTC-USD/book?level=3')).body);
    activity.step(80);
    await place({ product_id: 'BTC-USD', side: 'buy', type: 'market', funds: '500.00' });
    await signed(sim.restUrl, 'DELETE', `/orders/${String(own['id'])}`, alice);
    activity.step(40);
    const target = sim.sequence('BTC-USD');
    await ws.next(
      (f) => f['product_id'] === 'BTC-USD' && f['sequence'] === target && f['user_id'] === undefined,
    );

    const btcPublic = ws.frames
      .map(obj)
      .filter(
        (f) => f['product_id'] === 'BTC-USD' && f['user_id'] === undefined && f['type'] !== 'subscriptions',
      );
    const seqs = btcPublic.map((f) => f['sequence'] as number);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] as number) + i));
    const ethSeqs = ws.frames
      .map(obj)
      .filter((f) => f['product_id'] === 'ETH-USD')
      .map((f) => f['sequence'] as number);
    expect(ethSeqs.length).toBeGreaterThan(10);
    expect(ethSeqs).toEqual(ethSeqs.map((_, i) => (ethSeqs[0] as number) + i));
    expect(new Set(btcPublic.map((f) => f['type']))).toEqual(
      new Set(['received', 'open', 'match', 'done', 'change']),
    );
    // The change was our resting order's (STP), visible publicly without private fields.
    expect(btcPublic.find((f) => f['type'] === 'change' && f['order_id'] === own['id'])).toMatchObject({
      reason: 'STP',
      old_size: '1.00000000',
      new_size: '0.75000000',
      price: px,
    });
    // Private copies reuse the public sequence.
    const privates = ws.frames.map(obj).filter((f) => f['user_id'] !== undefined);
    expect(privates.length).toBeGreaterThan(0);
    for (const p of privates) expect(seqs).toContain(p['sequence']);

    const rebuilt = replay(snapshot, btcPublic);
    expect(rebuilt.last).toBe(target);
    expect(rebuilt.bids).toEqual(sim.trueBook('BTC-USD').bids);
    expect(rebuilt.asks).toEqual(sim.trueBook('BTC-USD').asks);
    expect(sim.trueL3Book('BTC-USD').sequence).toBe(target);
  });

  it('market orders: received carries funds (by funds) or size, no price; done has no price', async () => {
    // Resting liquidity of another account (our own would be cancelled by self-trade prevention).
    sim.deposit('someone', 'BTC', 1);
    sim
      .engine('BTC-USD')
      .place({ account: 'someone', side: 'sell', type: 'limit', price: '30000', amount: '1' });
    const ws = await connect();
    ws.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['full'] });
    await ws.next((f) => f['type'] === 'subscriptions');
    await place({ product_id: 'BTC-USD', side: 'buy', type: 'market', funds: '100.00' });
    const rec = await ws.next((f) => f['type'] === 'received');
    expect(rec).toMatchObject({ order_type: 'market', funds: '100', side: 'buy' });
    expect(rec['price']).toBeUndefined();
    expect(rec['size']).toBeUndefined();
    expect(rec['client_oid']).toBeUndefined();
    const done = await ws.next((f) => f['type'] === 'done' && f['order_id'] === rec['order_id']);
    expect(done).toMatchObject({ reason: 'filled' });
    expect(done['price']).toBeUndefined();
  });

  it('user channel: received with client_oid, open, match with maker fee rate and ids, done', async () => {
    const ws = await connect();
    const pub = await connect();
    ws.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['user'], ...wsAuth(alice) });
    pub.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['full'] });
    await ws.next((f) => f['type'] === 'subscriptions');
    await pub.next((f) => f['type'] === 'subscriptions');
    const oid = uuid();
    const o = obj(
      (
        await place({
          product_id: 'BTC-USD',
          side: 'buy',
          type: 'limit',
          price: '25000.00',
          size: '0.02',
          client_oid: oid,
        })
      ).body,
    );
    sim.takeFromAccount('alice', 'BTC-USD', 'buy', '25000.00', '0.02');
    const acct = sim.exchange.account('alice');
    const received = await ws.next((f) => f['type'] === 'received');
    expect(received).toMatchObject({
      order_id: o['id'],
      client_oid: oid,
      user_id: acct?.userId,
      profile_id: acct?.profileId,
    });
    await ws.next((f) => f['type'] === 'open' && f['order_id'] === o['id']);
    const match = await ws.next((f) => f['type'] === 'match');
    expect(match).toMatchObject({
      maker_order_id: o['id'],
      size: '0.02000000',
      price: '25000.00',
      side: 'buy',
      maker_user_id: acct?.userId,
      maker_profile_id: acct?.profileId,
      maker_fee_rate: '0.004',
      user_id: acct?.userId,
    });
    expect(await ws.next((f) => f['type'] === 'done')).toMatchObject({ order_id: o['id'], reason: 'filled' });
    // Only our order's messages: the taker's received/done never reach us.
    expect(ws.ofType('received')).toHaveLength(1);
    // The public feed has the same messages without the private fields.
    const pubReceived = await pub.next((f) => f['type'] === 'received' && f['order_id'] === o['id']);
    expect(pubReceived['client_oid']).toBeUndefined();
    expect(pubReceived['sequence']).toBe(received['sequence']);
    const pubMatch = await pub.next((f) => f['type'] === 'match');
    expect(pubMatch['maker_fee_rate']).toBeUndefined();
  });

  it('user channel: as taker the match carries taker fields', async () => {
    const ws = await connect();
    ws.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['user'], ...wsAuth(alice) });
    await ws.next((f) => f['type'] === 'subscriptions');
    sim.deposit('someone', 'BTC', 1);
    sim
      .engine('BTC-USD')
      .place({ account: 'someone', side: 'sell', type: 'limit', price: '30000', amount: '1' });
    await place({
      product_id: 'BTC-USD',
      side: 'buy',
      type: 'limit',
      price: '30000.00',
      size: '0.1',
      time_in_force: 'IOC',
    });
    const m = await ws.next((f) => f['type'] === 'match');
    expect(m).toMatchObject({
      taker_fee_rate: '0.006',
      taker_user_id: sim.exchange.account('alice')?.userId,
    });
    expect(m['maker_fee_rate']).toBeUndefined();
  });

  it('subscriptions: root and per-channel product ids; unsubscribe by product or whole channel', async () => {
    const ws = await connect();
    ws.send({
      type: 'subscribe',
      product_ids: ['BTC-USD', 'ETH-USD'],
      channels: ['heartbeat', { name: 'matches', product_ids: ['ETH-BTC'] }],
    });
    const s1 = await ws.next((f) => f['type'] === 'subscriptions');
    expect(s1['channels']).toEqual([
      { name: 'heartbeat', product_ids: ['BTC-USD', 'ETH-USD'] },
      { name: 'matches', product_ids: ['ETH-BTC'] },
    ]);
    ws.send({ type: 'unsubscribe', product_ids: ['ETH-USD'], channels: ['heartbeat'] });
    await ws.next((f) => f['type'] === 'subscriptions' && f !== s1);
    ws.send({ type: 'unsubscribe', channels: ['matches'] });
    const s3 = await ws.next((f) => f['type'] === 'subscriptions' && ws.ofType('subscriptions').length === 3);
    expect(ws.ofType('subscriptions')[1]?.['channels']).toEqual([
      { name: 'heartbeat', product_ids: ['BTC-USD'] },
      { name: 'matches', product_ids: ['ETH-BTC'] },
    ]);
    expect(s3['channels']).toEqual([{ name: 'heartbeat', product_ids: ['BTC-USD'] }]);
  });

  it.each([
    ['malformed JSON', 'not json', 'Malformed JSON', 'the message is not valid JSON'],
    [
      'an unknown type',
      { type: 'subscrib', channels: ['full'], product_ids: ['BTC-USD'] },
      'Failed to subscribe',
      undefined,
    ],
    [
      'an unknown channel',
      { type: 'subscribe', channels: ['level9'], product_ids: ['BTC-USD'] },
      'Failed to subscribe',
      'level9 is not a valid channel',
    ],
    [
      'an unknown product',
      { type: 'subscribe', channels: ['full'], product_ids: ['XXX-USD'] },
      'Failed to subscribe',
      'XXX-USD is not a valid product',
    ],
    [
      'no product ids',
      { type: 'subscribe', channels: ['heartbeat'] },
      'Failed to subscribe',
      'No product ids provided for channel: heartbeat',
    ],
    [
      'no channels',
      { type: 'subscribe', product_ids: ['BTC-USD'] },
      'Failed to subscribe',
      'channels must be a non-empty array',
    ],
  ])('answers %s with an error message', async (_what, payload, message, reason) => {
    const ws = await connect();
    ws.ws.send(typeof payload === 'string' ? payload : JSON.stringify(payload));
    const err = await ws.next((f) => f['type'] === 'error');
    expect(err['message']).toBe(message);
    if (reason !== undefined) expect(err['reason']).toBe(reason);
    expect(ws.closed).toBe(false);
  });

  it('heartbeat: per product, carrying the current sequence and last trade id', async () => {
    await place({ product_id: 'BTC-USD', side: 'sell', type: 'limit', price: '30000.00', size: '1' });
    sim.takeFromAccount('alice', 'BTC-USD', 'sell', '30000.00', '0.1');
    const ws = await connect();
    ws.send({ type: 'subscribe', product_ids: ['BTC-USD', 'ETH-USD'], channels: ['heartbeat'] });
    const hb = await ws.next((f) => f['type'] === 'heartbeat' && f['product_id'] === 'BTC-USD');
    expect(hb).toMatchObject({
      sequence: sim.sequence('BTC-USD'),
      last_trade_id: sim.lastTradeId('BTC-USD'),
    });
    expect(sim.lastTradeId('BTC-USD')).toBeGreaterThan(0);
    expect(typeof hb['time']).toBe('string');
    await ws.next((f) => f['type'] === 'heartbeat' && f['product_id'] === 'ETH-USD');
  });

  it('matches: last_match first, then matches; ticker after each match', async () => {
    await place({ product_id: 'BTC-USD', side: 'sell', type: 'limit', price: '30000.00', size: '1' });
    sim.takeFromAccount('alice', 'BTC-USD', 'sell', '30000.00', '0.1');
    const ws = await connect();
    ws.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['matches', 'ticker'] });
    const last = await ws.next((f) => f['type'] === 'last_match');
    expect(last).toMatchObject({ trade_id: sim.lastTradeId('BTC-USD'), side: 'sell', size: '0.10000000' });
    sim.takeFromAccount('alice', 'BTC-USD', 'sell', '30000.00', '0.2');
    const m = await ws.next((f) => f['type'] === 'match');
    expect(m).toMatchObject({
      trade_id: sim.lastTradeId('BTC-USD'),
      size: '0.20000000',
      price: '30000.00',
      side: 'sell',
    });
    const t = await ws.next((f) => f['type'] === 'ticker' && f['trade_id'] === m['trade_id']);
    expect(t).toMatchObject({
      sequence: m['sequence'],
      price: '30000.00',
      side: 'buy',
      best_ask: '30000.00',
      best_ask_size: '0.70000000',
      last_size: '0.20000000',
    });
  });

  it('level2 and level2_batch: snapshot first, then l2update with absolute sizes; the replay matches the true book', async () => {
    const activity = sim.activity(5, { pairs: ['BTC-USD'] });
    activity.step(50);
    const ws = await connect();
    ws.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['level2_batch'] });
    const snap = await ws.next((f) => f['type'] === 'snapshot');
    const book = { buy: new Map<string, string>(), sell: new Map<string, string>() };
    for (const [p, s] of snap['bids'] as [string, string][]) book.buy.set(p, s);
    for (const [p, s] of snap['asks'] as [string, string][]) book.sell.set(p, s);
    for (let i = 0; i < 40; i++) {
      activity.step(1);
      await new Promise((r) => setImmediate(r));
    }
    await tick(50);
    for (const u of ws.ofType('l2update')) {
      for (const [side, p, s] of u['changes'] as ['buy' | 'sell', string, string][]) {
        if (Number(s) === 0) book[side].delete(p);
        else book[side].set(p, s);
      }
    }
    expect(ws.ofType('l2update').length).toBeGreaterThan(5);
    const levels = (m: Map<string, string>, desc: boolean): [number, number][] =>
      [...m.entries()]
        .map(([p, s]): [number, number] => [Number(p), Number(s)])
        .sort((a, b) => (desc ? b[0] - a[0] : a[0] - b[0]));
    expect(levels(book.buy, true)).toEqual(sim.trueBook('BTC-USD').bids);
    expect(levels(book.sell, false)).toEqual(sim.trueBook('BTC-USD').asks);
  });

  it('by default refuses full, level2, level3, user and balance without authentication, as the exchange does', async () => {
    await sim.stop();
    sim = await CoinbaseProSimulator.start({ accounts: [alice] });
    const ws = await connect();
    for (const channel of ['full', 'level2', 'level3', 'user', 'balance']) {
      ws.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['heartbeat', channel] });
      const error = await ws.next(
        (f) => f['type'] === 'error' && f['reason'] === `${channel} channel requires authentication`,
      );
      expect(error).toEqual({
        type: 'error',
        message: 'Failed to subscribe',
        reason: `${channel} channel requires authentication`,
      });
    }
    // Nothing of a refused request is subscribed, not even its public channels.
    expect(arr(sim.feedSubscriptions())).toEqual([]);
    // The public channels need nothing; the authenticated ones a signed subscribe.
    ws.send({
      type: 'subscribe',
      product_ids: ['BTC-USD'],
      channels: ['level2_batch', 'matches', 'heartbeat'],
    });
    await ws.next((f) => f['type'] === 'subscriptions');
    ws.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['full', 'level2'], ...wsAuth(alice) });
    await ws.next(
      (f) =>
        f['type'] === 'subscriptions' && (f['channels'] as { name: string }[]).some((c) => c.name === 'full'),
    );
  });

  it('a connection that does not subscribe in time is disconnected', async () => {
    await sim.stop();
    sim = await CoinbaseProSimulator.start({ subscribeTimeoutMs: 60 });
    const idle = await connect();
    const active = await connect();
    active.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['heartbeat'] });
    await idle.waitClosed(1000);
    expect(idle.ofType('error')[0]?.['message']).toBe('Failed to subscribe');
    await tick(80);
    expect(active.closed).toBe(false);
    expect(arr(sim.feedSubscriptions()).length).toBe(1);
  });
});
