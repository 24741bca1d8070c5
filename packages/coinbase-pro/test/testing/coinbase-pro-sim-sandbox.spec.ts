import { CoinbaseProSimulator, DEMO_ACCOUNT, startSandbox } from '../../src/testing/index.js';
import { arr, signed } from './sim-helpers.js';

describe('CoinbaseProSimulator activity and sandbox', () => {
  it('activity(seed) is deterministic: the same seed gives the same book', async () => {
    const books = [];
    for (let i = 0; i < 2; i++) {
      const sim = await CoinbaseProSimulator.start();
      try {
        sim.activity(42, { pairs: ['BTC-USD'] }).step(200);
        books.push(sim.trueBook('BTC-USD', 10));
        expect(sim.trueBook('ETH-USD')).toEqual({ bids: [], asks: [] });
        sim.ledger.assertInvariants();
      } finally {
        await sim.stop();
      }
    }
    expect(books[0]?.bids.length).toBeGreaterThan(3);
    expect(books[0]).toEqual(books[1]);
  });

  it('startSandbox: demo key funded, pairs listed, book warmed up, stop is clean', async () => {
    const sb = await startSandbox({ seed: 3, warmupSteps: 100 });
    try {
      expect(sb.credentials).toEqual({
        apiKey: DEMO_ACCOUNT.apiKey,
        apiSecret: DEMO_ACCOUNT.apiSecret,
        passphrase: DEMO_ACCOUNT.passphrase,
      });
      expect(sb.tradingPairs).toEqual(['BTC-USD', 'ETH-USD', 'ETH-BTC']);
      expect(sb.endpoints.restUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sb.endpoints.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
      expect(sb.simulator.trueBook('BTC-USD').asks.length).toBeGreaterThan(0);
      const accounts = arr((await signed(sb.endpoints.restUrl, 'GET', '/accounts', sb.credentials)).body);
      expect(accounts.find((a) => a['currency'] === 'USD')?.['balance']).toBe('100000.0000000000000000');
      sb.startActivity(5);
      sb.stopActivity();
    } finally {
      await sb.stop();
    }
  });

  it('startSandbox with the user key funds a key of their own', async () => {
    const creds = { apiKey: 'mine', apiSecret: Buffer.alloc(64, 7).toString('base64'), passphrase: 'pp' };
    const sb = await startSandbox({ credentials: creds, warmupSteps: 0 });
    try {
      expect(sb.credentials).toEqual(creds);
      expect((await signed(sb.endpoints.restUrl, 'GET', '/accounts', creds)).status).toBe(200);
    } finally {
      await sb.stop();
    }
  });
});
