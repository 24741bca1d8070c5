import { CoinbaseProSimulator } from '../../src/testing/index.js';
import { type Creds, arr, get, newCreds, obj, signed, uuid } from './sim-helpers.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('CoinbaseProSimulator REST', () => {
  const alice: Creds = newCreds('alice');
  const bob: Creds = newCreds('bob');
  let sim: CoinbaseProSimulator;

  beforeEach(async () => {
    sim = await CoinbaseProSimulator.start({
      accounts: [
        { ...alice, balances: { USD: '100000', BTC: '2' } },
        { ...bob, balances: { USD: '100000', BTC: '2' } },
      ],
    });
  });
  afterEach(() => sim.stop());

  const limit = (side: 'buy' | 'sell', price: string, size: string, extra: Record<string, unknown> = {}) => ({
    product_id: 'BTC-USD',
    side,
    type: 'limit',
    price,
    size,
    ...extra,
  });
  const place = async (who: Creds, body: unknown) => signed(sim.restUrl, 'POST', '/orders', who, body);

  describe('public endpoints', () => {
    it('GET /time gives iso and epoch seconds', async () => {
      const r = obj((await get(sim.restUrl, '/time')).body);
      expect(typeof r['iso']).toBe('string');
      expect(Math.abs((r['epoch'] as number) - Date.now() / 1000)).toBeLessThan(5);
    });

    it('GET /products and /products/{id} list the documented fields; unknown -> 404 NotFound', async () => {
      const list = arr((await get(sim.restUrl, '/products')).body);
      expect(list.map((p) => p['id'])).toEqual(['BTC-USD', 'ETH-USD', 'ETH-BTC']);
      const one = obj((await get(sim.restUrl, '/products/BTC-USD')).body);
      expect(one).toMatchObject({
        id: 'BTC-USD',
        base_currency: 'BTC',
        quote_currency: 'USD',
        quote_increment: '0.01',
        base_increment: '0.00000001',
        min_market_funds: '1',
        status: 'online',
        trading_disabled: false,
        cancel_only: false,
      });
      expect(await get(sim.restUrl, '/products/NOPE-USD')).toMatchObject({
        status: 404,
        body: { message: 'NotFound' },
      });
    });

    it('GET /products/{id}/book at levels 1, 2 and 3 (level 3 carries the feed sequence)', async () => {
      const a = obj((await place(alice, limit('sell', '30001.00', '0.5'))).body);
      await place(bob, limit('sell', '30001.00', '0.25'));
      await place(bob, limit('sell', '30002.50', '1'));
      await place(bob, limit('buy', '29999.99', '0.1'));
      const l1 = obj((await get(sim.restUrl, '/products/BTC-USD/book?level=1')).body);
      expect(l1['bids']).toEqual([['29999.99', '0.10000000', 1]]);
      expect(l1['asks']).toEqual([['30001.00', '0.75000000', 2]]);
      const l2 = obj((await get(sim.restUrl, '/products/BTC-USD/book?level=2')).body);
      expect(l2['asks']).toEqual([
        ['30001.00', '0.75000000', 2],
        ['30002.50', '1.00000000', 1],
      ]);
      const l3 = obj((await get(sim.restUrl, '/products/BTC-USD/book?level=3')).body);
      expect((l3['asks'] as unknown[][])[0]).toEqual(['30001.00', '0.50000000', a['id']]);
      expect(l3['sequence']).toBe(sim.sequence('BTC-USD'));
      expect(await get(sim.restUrl, '/products/BTC-USD/book?level=4')).toMatchObject({ status: 400 });
    });

    it('GET /products/{id}/trades is newest first, side = maker side, paged with after/before and CB-BEFORE/CB-AFTER', async () => {
      await place(alice, limit('sell', '30000.00', '1'));
      for (let i = 0; i < 5; i++) await place(bob, limit('buy', '30000.00', '0.1'));
      const all = await get(sim.restUrl, '/products/BTC-USD/trades');
      const ids = arr(all.body).map((t) => t['trade_id'] as number);
      expect(ids).toHaveLength(5);
      expect([...ids].sort((x, y) => y - x)).toEqual(ids);
      expect(arr(all.body)[0]).toMatchObject({ side: 'sell', price: '30000.00000000', size: '0.10000000' });

      const p1 = await get(sim.restUrl, '/products/BTC-USD/trades?limit=2');
      expect(arr(p1.body).map((t) => t['trade_id'])).toEqual(ids.slice(0, 2));
      expect(p1.headers.get('cb-before')).toBe(String(ids[0]));
      expect(p1.headers.get('cb-after')).toBe(String(ids[1]));
      const p2 = await get(
        sim.restUrl,
        `/products/BTC-USD/trades?limit=2&after=${p1.headers.get('cb-after')}`,
      );
      expect(arr(p2.body).map((t) => t['trade_id'])).toEqual(ids.slice(2, 4));
      const back = await get(sim.restUrl, `/products/BTC-USD/trades?limit=1&before=${ids[2]}`);
      expect(arr(back.body).map((t) => t['trade_id'])).toEqual([ids[1]]);
      expect(await get(sim.restUrl, '/products/BTC-USD/trades?limit=x')).toMatchObject({ status: 400 });
    });

    it('GET /products/{id}/ticker', async () => {
      await place(alice, limit('sell', '30000.00', '1'));
      await place(bob, limit('buy', '30000.00', '0.4'));
      const t = obj((await get(sim.restUrl, '/products/BTC-USD/ticker')).body);
      expect(t).toMatchObject({
        price: '30000.00',
        size: '0.40000000',
        ask: '30000.00',
        bid: '',
        volume: '0.40000000',
      });
      expect(typeof t['trade_id']).toBe('number');
    });

    it('an unknown path is 404 NotFound', async () => {
      expect(await get(sim.restUrl, '/nope')).toMatchObject({ status: 404, body: { message: 'NotFound' } });
    });
  });

  describe('orders', () => {
    it('places a post-only limit: UUID id, client_oid echoed, pending answer, then open; funds held with the fee', async () => {
      const oid = uuid();
      const r = await place(alice, limit('buy', '25000.00', '0.01', { client_oid: oid, post_only: true }));
      expect(r.status).toBe(200);
      const o = obj(r.body);
      expect(o['id']).toMatch(UUID_RE);
      expect(o).toMatchObject({
        price: '25000.00000000',
        size: '0.01000000',
        product_id: 'BTC-USD',
        side: 'buy',
        type: 'limit',
        time_in_force: 'GTC',
        post_only: true,
        status: 'pending',
        settled: false,
        filled_size: '0.00000000',
        client_oid: oid,
      });
      const q = obj((await signed(sim.restUrl, 'GET', `/orders/${String(o['id'])}`, alice)).body);
      expect(q).toMatchObject({ id: o['id'], status: 'open', client_oid: oid });
      const byClient = obj((await signed(sim.restUrl, 'GET', `/orders/client:${oid}`, alice)).body);
      expect(byClient['id']).toBe(o['id']);
      const usd = arr((await signed(sim.restUrl, 'GET', '/accounts', alice)).body).find(
        (a) => a['currency'] === 'USD',
      );
      // 250 x (1 + max(0.004, 0.006))
      expect(usd).toMatchObject({
        hold: '251.5000000000000000',
        available: '99748.5000000000000000',
        balance: '100000.0000000000000000',
      });
      // Another key cannot see it.
      expect(await signed(sim.restUrl, 'GET', `/orders/${String(o['id'])}`, bob)).toMatchObject({
        status: 404,
      });
    });

    it('a malformed client_oid is accepted and silently not processed', async () => {
      const r = obj(
        (await place(alice, limit('buy', '25000.00', '0.01', { client_oid: 'NOT-A-UUID' }))).body,
      );
      expect(r['client_oid']).toBeUndefined();
      expect(await signed(sim.restUrl, 'GET', '/orders/client:NOT-A-UUID', alice)).toMatchObject({
        status: 404,
      });
    });

    it('a post-only order that would take is rejected and nothing executes', async () => {
      await place(bob, limit('sell', '30000.00', '1'));
      const r = await place(alice, limit('buy', '30000.00', '0.5', { post_only: true, client_oid: uuid() }));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        status: 'rejected',
        reject_reason: 'post only',
        filled_size: '0.00000000',
      });
      expect(sim.trueBook('BTC-USD').asks).toEqual([[30000, 1]]);
      expect(sim.engine('BTC-USD').recentTrades()).toHaveLength(0);
    });

    it.each([
      [
        'price off the tick',
        limit('buy', '25000.001', '0.01'),
        'price is too accurate. Smallest unit is 0.01',
      ],
      [
        'size off the step',
        limit('buy', '25000.00', '0.000000001'),
        'size is too accurate. Smallest unit is 0.00000001',
      ],
      [
        'notional below min_market_funds',
        limit('buy', '25000.00', '0.00001'),
        'size is too small. Minimum order value is 1 USD',
      ],
      [
        'market funds below min_market_funds',
        { product_id: 'BTC-USD', side: 'buy', type: 'market', funds: '0.50' },
        'funds is too small. Minimum funds is 1',
      ],
      [
        'market with size and funds',
        { product_id: 'BTC-USD', side: 'buy', type: 'market', size: '0.1', funds: '10.00' },
        'Market orders must specify either size or funds',
      ],
      ['unknown product', { ...limit('buy', '1.00', '1'), product_id: 'NOPE-USD' }, 'Product not found'],
      ['a bad side', limit('hold' as 'buy', '25000.00', '0.01'), 'Invalid side'],
      [
        'post_only with IOC',
        limit('buy', '25000.00', '0.01', { post_only: true, time_in_force: 'IOC' }),
        'Invalid post_only: only valid with time_in_force GTC or GTT',
      ],
      ['a bad stp', limit('buy', '25000.00', '0.01', { stp: 'zz' }), 'Invalid stp'],
      ['insufficient funds', limit('buy', '25000.00', '10'), 'Insufficient funds'],
      ['insufficient base', limit('sell', '25000.00', '3'), 'Insufficient funds'],
    ])('refuses %s with 400 {message}', async (_what, body, message) => {
      const r = await place(alice, body);
      expect(r).toMatchObject({ status: 400, body: { message } });
      expect(sim.engine('BTC-USD').openOrders('alice')).toHaveLength(0);
    });

    it('market orders by size and by funds; received funds are net of the fee reserve', async () => {
      await place(bob, limit('sell', '30000.00', '1'));
      const bySize = obj(
        (await place(alice, { product_id: 'BTC-USD', side: 'buy', type: 'market', size: '0.1' })).body,
      );
      expect(bySize).toMatchObject({ type: 'market', size: '0.10000000', status: 'pending' });
      const byFunds = obj(
        (await place(alice, { product_id: 'BTC-USD', side: 'buy', type: 'market', funds: '1006.00' })).body,
      );
      expect(byFunds).toMatchObject({
        specified_funds: '1006.0000000000000000',
        funds: '1000.0000000000000000',
      });
      const done = obj((await signed(sim.restUrl, 'GET', `/orders/${String(byFunds['id'])}`, alice)).body);
      expect(done).toMatchObject({
        status: 'done',
        done_reason: 'filled',
        settled: true,
        executed_value: '999.9999000000000000',
      });
      expect(sim.trueBook('BTC-USD').asks).toEqual([[30000, 0.86666667]]);
    });

    it('IOC and FOK', async () => {
      await place(bob, limit('sell', '30000.00', '0.5'));
      const ioc = obj((await place(alice, limit('buy', '30000.00', '1', { time_in_force: 'IOC' }))).body);
      const q = obj((await signed(sim.restUrl, 'GET', `/orders/${String(ioc['id'])}`, alice)).body);
      expect(q).toMatchObject({
        status: 'done',
        done_reason: 'canceled',
        filled_size: '0.50000000',
        time_in_force: 'IOC',
      });
      const fok = obj((await place(alice, limit('buy', '30000.00', '1', { time_in_force: 'FOK' }))).body);
      // Killed without a fill: purged like any order cancelled with no fill.
      expect(await signed(sim.restUrl, 'GET', `/orders/${String(fok['id'])}`, alice)).toMatchObject({
        status: 404,
      });
    });

    it('cancel by id and by client_oid answer the JSON string; a cancelled order with no fill is purged', async () => {
      const oid = uuid();
      const a = obj((await place(alice, limit('buy', '25000.00', '0.01'))).body);
      await place(alice, limit('buy', '25000.00', '0.01', { client_oid: oid }));
      const c1 = await signed(sim.restUrl, 'DELETE', `/orders/${String(a['id'])}?product_id=BTC-USD`, alice);
      expect(c1).toMatchObject({ status: 200, body: a['id'] });
      expect(c1.headers.get('content-type')).toContain('application/json');
      const c2 = await signed(sim.restUrl, 'DELETE', `/orders/client:${oid}`, alice);
      expect(c2).toMatchObject({ status: 200, body: oid });
      expect(await signed(sim.restUrl, 'GET', `/orders/${String(a['id'])}`, alice)).toMatchObject({
        status: 404,
        body: { message: 'NotFound' },
      });
      expect(await signed(sim.restUrl, 'DELETE', `/orders/${String(a['id'])}`, alice)).toMatchObject({
        status: 404,
        body: { message: 'NotFound' },
      });
      expect(await signed(sim.restUrl, 'DELETE', '/orders/no-such-id', alice)).toMatchObject({
        status: 404,
        body: { message: 'NotFound' },
      });
      const usd = arr((await signed(sim.restUrl, 'GET', '/accounts', alice)).body).find(
        (x) => x['currency'] === 'USD',
      );
      expect(usd?.['hold']).toBe('0.0000000000000000');
    });

    it('a partially filled order stays queryable after cancel; a filled one cannot be cancelled', async () => {
      const a = obj((await place(alice, limit('sell', '30000.00', '1'))).body);
      await place(bob, limit('buy', '30000.00', '0.4'));
      await signed(sim.restUrl, 'DELETE', `/orders/${String(a['id'])}`, alice);
      expect(obj((await signed(sim.restUrl, 'GET', `/orders/${String(a['id'])}`, alice)).body)).toMatchObject(
        {
          status: 'done',
          done_reason: 'canceled',
          filled_size: '0.40000000',
          executed_value: '12000.0000000000000000',
          fill_fees: '48.0000000000000000',
        },
      );
      const f = obj((await place(alice, limit('sell', '30000.00', '0.1'))).body);
      await place(bob, limit('buy', '30000.00', '0.1'));
      expect(await signed(sim.restUrl, 'DELETE', `/orders/${String(f['id'])}`, alice)).toMatchObject({
        status: 400,
        body: { message: 'Order already done' },
      });
      // With the wrong product: not found there.
      const g = obj((await place(alice, limit('buy', '20000.00', '0.1'))).body);
      expect(
        await signed(sim.restUrl, 'DELETE', `/orders/${String(g['id'])}?product_id=ETH-USD`, alice),
      ).toMatchObject({ status: 404 });
    });

    it('DELETE /orders?product_id= cancels all and answers the ids', async () => {
      const ids = [];
      for (let i = 0; i < 3; i++)
        ids.push(obj((await place(alice, limit('buy', `2000${i}.00`, '0.01'))).body)['id']);
      const r = await signed(sim.restUrl, 'DELETE', '/orders?product_id=BTC-USD', alice);
      expect(r.status).toBe(200);
      expect([...arr(r.body)].sort()).toEqual([...ids].sort());
      expect(sim.trueBook('BTC-USD').bids).toEqual([]);
    });

    it('GET /orders: repeated status params, default open/pending/active, cursor pagination', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++)
        ids.push(obj((await place(alice, limit('buy', `2000${i}.00`, '0.01'))).body)['id'] as string);
      const filled = obj((await place(alice, limit('sell', '30000.00', '0.1'))).body)['id'] as string;
      await place(bob, limit('buy', '30000.00', '0.1'));
      const newestFirst = [...ids].reverse();

      const open = await signed(sim.restUrl, 'GET', '/orders', alice);
      expect(arr(open.body).map((o) => o['id'])).toEqual(newestFirst);
      const openAndDone = await signed(sim.restUrl, 'GET', '/orders?status=open&status=done', alice);
      expect(arr(openAndDone.body).map((o) => o['id'])).toEqual([filled, ...newestFirst]);
      const doneOnly = await signed(sim.restUrl, 'GET', '/orders?status=done&product_id=BTC-USD', alice);
      expect(arr(doneOnly.body).map((o) => o['status'])).toEqual(['done']);

      const p1 = await signed(
        sim.restUrl,
        'GET',
        '/orders?status=open&status=pending&status=active&limit=2',
        alice,
      );
      expect(arr(p1.body).map((o) => o['id'])).toEqual(newestFirst.slice(0, 2));
      const after = p1.headers.get('cb-after');
      expect(after).not.toBeNull();
      const p2 = await signed(
        sim.restUrl,
        'GET',
        `/orders?status=open&limit=2&after=${String(after)}`,
        alice,
      );
      expect(arr(p2.body).map((o) => o['id'])).toEqual(newestFirst.slice(2, 4));
      const p3 = await signed(
        sim.restUrl,
        'GET',
        `/orders?status=open&limit=2&after=${String(p2.headers.get('cb-after'))}`,
        alice,
      );
      expect(arr(p3.body).map((o) => o['id'])).toEqual(newestFirst.slice(4));
      const p4 = await signed(
        sim.restUrl,
        'GET',
        `/orders?status=open&limit=2&after=${String(p3.headers.get('cb-after'))}`,
        alice,
      );
      expect(p4.body).toEqual([]);
      expect(p4.headers.get('cb-after')).toBeNull();
      const prev = await signed(
        sim.restUrl,
        'GET',
        `/orders?limit=2&before=${String(p2.headers.get('cb-before'))}`,
        alice,
      );
      expect(arr(prev.body).map((o) => o['id'])).toEqual(newestFirst.slice(0, 2));

      expect(await signed(sim.restUrl, 'GET', '/orders?status=bogus', alice)).toMatchObject({ status: 400 });
    });
  });

  describe('fills, accounts, fees', () => {
    it('GET /fills by order_id or product_id: fee in quote, liquidity M/T, our side, paginated by trade_id', async () => {
      const maker = obj((await place(alice, limit('sell', '30000.00', '1'))).body)['id'];
      for (let i = 0; i < 3; i++) await place(bob, limit('buy', '30000.00', '0.1'));
      const mine = await signed(sim.restUrl, 'GET', `/fills?order_id=${String(maker)}`, alice);
      const rows = arr(mine.body);
      expect(rows).toHaveLength(3);
      expect(rows[0]).toMatchObject({
        order_id: maker,
        product_id: 'BTC-USD',
        liquidity: 'M',
        side: 'sell',
        price: '30000.00',
        size: '0.10000000',
        fee: '12.0000000000000000',
        settled: true,
        usd_volume: '3000.0000000000000000',
        profile_id: sim.exchange.account('alice')?.profileId,
        user_id: sim.exchange.account('alice')?.userId,
      });
      const ids = rows.map((r) => r['trade_id'] as number);
      expect([...ids].sort((x, y) => y - x)).toEqual(ids);
      const theirs = arr((await signed(sim.restUrl, 'GET', '/fills?product_id=BTC-USD', bob)).body);
      expect(theirs.map((r) => [r['liquidity'], r['side'], r['fee']])[0]).toEqual([
        'T',
        'buy',
        '18.0000000000000000',
      ]);

      const p1 = await signed(sim.restUrl, 'GET', '/fills?product_id=BTC-USD&limit=2', alice);
      expect(arr(p1.body).map((r) => r['trade_id'])).toEqual(ids.slice(0, 2));
      const p2 = await signed(
        sim.restUrl,
        'GET',
        `/fills?product_id=BTC-USD&limit=2&after=${String(p1.headers.get('cb-after'))}`,
        alice,
      );
      expect(arr(p2.body).map((r) => r['trade_id'])).toEqual(ids.slice(2));
      expect(await signed(sim.restUrl, 'GET', '/fills', alice)).toMatchObject({ status: 400 });
    });

    it('GET /accounts: balance = available + hold per currency; GET /fees', async () => {
      await place(alice, limit('sell', '30000.00', '0.5'));
      const rows = arr((await signed(sim.restUrl, 'GET', '/accounts', alice)).body);
      expect(rows.map((r) => r['currency'])).toEqual(['BTC', 'USD', 'ETH']);
      expect(rows[0]).toMatchObject({
        currency: 'BTC',
        balance: '2.0000000000000000',
        available: '1.5000000000000000',
        hold: '0.5000000000000000',
        profile_id: sim.exchange.account('alice')?.profileId,
      });
      expect(rows[0]?.['id']).toMatch(UUID_RE);
      const one = await signed(sim.restUrl, 'GET', `/accounts/${String(rows[0]?.['id'])}`, alice);
      expect(obj(one.body)['currency']).toBe('BTC');
      expect((await signed(sim.restUrl, 'GET', '/fees', alice)).body).toEqual({
        maker_fee_rate: '0.0040',
        taker_fee_rate: '0.0060',
        usd_volume: '0.00',
      });
    });
  });

  it('product modes: cancel-only, limit-only, post-only, trading disabled', async () => {
    await sim.stop();
    sim = await CoinbaseProSimulator.start({
      products: [
        { id: 'BTC-USD', cancelOnly: true },
        { id: 'ETH-USD', limitOnly: true },
        { id: 'ETH-BTC', postOnly: true, quoteIncrement: '0.00001', minMarketFunds: '0.0001' },
        { id: 'LTC-USD', tradingDisabled: true },
      ],
      accounts: [{ ...alice, balances: { USD: '1000', BTC: '1' } }],
    });
    expect((await place(alice, limit('buy', '100.00', '1'))).body).toEqual({ message: 'Cancel only mode' });
    expect(
      (await place(alice, { product_id: 'ETH-USD', side: 'buy', type: 'market', funds: '10.00' })).body,
    ).toEqual({
      message: 'Limit only mode',
    });
    expect(
      (await place(alice, { product_id: 'ETH-BTC', side: 'buy', type: 'limit', price: '0.05000', size: '1' }))
        .body,
    ).toEqual({
      message: 'Post only mode',
    });
    expect(
      await place(alice, { product_id: 'LTC-USD', side: 'buy', type: 'limit', price: '1.00', size: '1' }),
    ).toMatchObject({
      status: 403,
      body: { message: 'Trading pair not available' },
    });
  });
});
