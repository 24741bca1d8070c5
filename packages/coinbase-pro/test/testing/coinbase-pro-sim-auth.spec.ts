import { SimClock } from '@hb/testing';
import { CoinbaseProSimulator } from '../../src/testing/index.js';
import { type Creds, WsClient, arr, newCreds, obj, sign, signed, wsAuth } from './sim-helpers.js';

// coinbase-pro.md §6 worked example: these inputs and signatures are from the doc.
const DOC: Creds = {
  apiKey: 'doc-key',
  apiSecret: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZg==',
  passphrase: 'doc-pass',
};
const DOC_BODY =
  '{"product_id":"BTC-USD","side":"buy","type":"limit","price":"25000.00","size":"0.001","client_oid":"3f1b9a2e-5c4d-4e6f-8a7b-9c0d1e2f3a4b","post_only":true}';

describe('CoinbaseProSimulator authentication', () => {
  describe('the documented worked example (§6) verifies', () => {
    let sim: CoinbaseProSimulator;
    beforeEach(async () => {
      sim = await CoinbaseProSimulator.start({
        clock: new SimClock({ startMs: 1_700_000_000_000 }),
        accounts: [{ ...DOC, balances: { USD: '100' } }],
      });
    });
    afterEach(() => sim.stop());

    const headers = (signature: string): Record<string, string> => ({
      'CB-ACCESS-KEY': DOC.apiKey,
      'CB-ACCESS-SIGN': signature,
      'CB-ACCESS-TIMESTAMP': '1700000000',
      'CB-ACCESS-PASSPHRASE': DOC.passphrase,
      'Content-Type': 'application/json',
    });

    it('POST /orders and GET /orders?status=open&product_id=BTC-USD with the doc signatures', async () => {
      const post = await fetch(`${sim.restUrl}/orders`, {
        method: 'POST',
        headers: headers('8Fi+/aaNtN/2c9viXTehJsvX6aZMDqtyUSXMfwwjMDY='),
        body: DOC_BODY,
      });
      expect(post.status).toBe(200);
      expect(await post.json()).toMatchObject({
        client_oid: '3f1b9a2e-5c4d-4e6f-8a7b-9c0d1e2f3a4b',
        post_only: true,
      });

      const list = await fetch(`${sim.restUrl}/orders?status=open&product_id=BTC-USD`, {
        headers: headers('pUIjvTJe3fAuGeAvo6mFCiv6qMHtAS2CZelNJY8ng0Q='),
      });
      expect(list.status).toBe(200);
      expect(arr(await list.json()).map((o) => o['client_oid'])).toEqual([
        '3f1b9a2e-5c4d-4e6f-8a7b-9c0d1e2f3a4b',
      ]);
    });

    it('the feed accepts the documented /users/self/verify signature', async () => {
      const ws = await WsClient.connect(sim.wsUrl);
      try {
        ws.send({
          type: 'subscribe',
          product_ids: ['BTC-USD'],
          channels: ['user'],
          key: DOC.apiKey,
          passphrase: DOC.passphrase,
          timestamp: '1700000000',
          signature: 'VWEblJISZzHK29JLE7EP1VNXMFU1COxq3vybOn3OVEk=',
        });
        const subs = await ws.next((f) => f['type'] === 'subscriptions');
        expect(subs['channels']).toEqual([{ name: 'user', product_ids: ['BTC-USD'] }]);
      } finally {
        ws.close();
      }
    });
  });

  describe('failures are 401 {message}', () => {
    const alice = newCreds('alice');
    let sim: CoinbaseProSimulator;
    beforeEach(async () => {
      sim = await CoinbaseProSimulator.start({ accounts: [alice] });
    });
    afterEach(() => sim.stop());

    it('accepts a correct signature over the path with its query', async () => {
      expect((await signed(sim.restUrl, 'GET', '/orders?status=open&status=pending', alice)).status).toBe(
        200,
      );
    });

    it.each([
      ['an unknown key', { apiKey: 'nobody' }, 'Invalid API Key'],
      ['a wrong passphrase', { passphrase: 'nope' }, 'Invalid Passphrase'],
      ['a wrong signature', { signature: 'AAAA' }, 'invalid signature'],
      // Well past the 30 s tolerance: whole seconds plus the request's own latency
      // would make a 31 s offset land on the boundary now and then.
      [
        'a timestamp 35 s old',
        { timestamp: String(Math.floor(Date.now() / 1000) - 35) },
        'request timestamp expired',
      ],
      [
        'a timestamp 35 s ahead',
        { timestamp: String(Math.floor(Date.now() / 1000) + 35) },
        'request timestamp expired',
      ],
    ])('refuses %s', async (_what, opts, message) => {
      const r = await signed(sim.restUrl, 'GET', '/accounts', alice, undefined, opts);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ message });
    });

    it('refuses a signature that left out the query string', async () => {
      const ts = String(Date.now() / 1000);
      const r = await signed(sim.restUrl, 'GET', '/orders?status=open', alice, undefined, {
        timestamp: ts,
        signature: sign(alice.apiSecret, ts, 'GET', '/orders'),
      });
      expect(r).toMatchObject({ status: 401, body: { message: 'invalid signature' } });
    });

    it('refuses a signature made with the secret as text instead of its base64-decoded bytes', async () => {
      const ts = String(Date.now() / 1000);
      const { createHmac } = await import('node:crypto');
      const wrong = createHmac('sha256', alice.apiSecret).update(`${ts}GET/accounts`).digest('base64');
      const r = await signed(sim.restUrl, 'GET', '/accounts', alice, undefined, {
        timestamp: ts,
        signature: wrong,
      });
      expect(r).toMatchObject({ status: 401, body: { message: 'invalid signature' } });
    });

    it('refuses a body that differs from the signed one', async () => {
      const ts = String(Date.now() / 1000);
      const sig = sign(alice.apiSecret, ts, 'POST', '/orders', '{"product_id":"BTC-USD"}');
      const r = await fetch(`${sim.restUrl}/orders`, {
        method: 'POST',
        headers: {
          'CB-ACCESS-KEY': alice.apiKey,
          'CB-ACCESS-SIGN': sig,
          'CB-ACCESS-TIMESTAMP': ts,
          'CB-ACCESS-PASSPHRASE': alice.passphrase,
        },
        body: '{"product_id": "BTC-USD"}',
      });
      expect(r.status).toBe(401);
    });

    it('refuses a private call without headers', async () => {
      const r = await fetch(`${sim.restUrl}/accounts`);
      expect(r.status).toBe(401);
      expect(await r.json()).toEqual({ message: 'Invalid API Key' });
    });

    it('the feed answers a bad subscribe signature with an error and subscribes nothing', async () => {
      const ws = await WsClient.connect(sim.wsUrl);
      try {
        ws.send({
          type: 'subscribe',
          product_ids: ['BTC-USD'],
          channels: ['user'],
          ...wsAuth(alice),
          signature: 'AAAA',
        });
        const err = await ws.next((f) => f['type'] === 'error');
        expect(err).toEqual({ type: 'error', message: 'Authentication Failed', reason: 'invalid signature' });
        ws.send({
          type: 'subscribe',
          product_ids: ['BTC-USD'],
          channels: ['user'],
          ...wsAuth({ ...alice, passphrase: 'x' }),
        });
        await ws.next((f) => f['reason'] === 'Invalid Passphrase');
        ws.send({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['user'] });
        await ws.next((f) => f['reason'] === 'user channel requires authentication');
        expect(ws.ofType('subscriptions')).toHaveLength(0);
        expect(sim.feedSubscriptions()).toEqual([]);
      } finally {
        ws.close();
      }
    });

    it('a stale feed timestamp is refused too', async () => {
      const ws = await WsClient.connect(sim.wsUrl);
      try {
        ws.send({
          type: 'subscribe',
          product_ids: ['BTC-USD'],
          channels: ['user'],
          ...wsAuth(alice, String(Math.floor(Date.now() / 1000) - 60)),
        });
        expect(obj(await ws.next((f) => f['type'] === 'error'))['reason']).toBe('request timestamp expired');
      } finally {
        ws.close();
      }
    });
  });
});
