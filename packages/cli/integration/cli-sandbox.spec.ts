// `--sandbox` and `hb demo`: the connector's own simulator started in-process by the
// real binary, with no keys and no network beyond loopback.
import { allOutput, ndjson, runCli } from './run-cli.js';

describe('hb --sandbox and hb demo (real binary)', () => {
  it('book binance BTC-USDT --sandbox --json --once prints one valid JSON line', async () => {
    const r = await runCli(['book', 'binance', 'BTC-USDT', '--sandbox', '--json', '--once']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = ndjson(r.stdout);
    expect(lines).toHaveLength(1);
    const book = lines[0]!;
    expect(book).toMatchObject({ exchange: 'binance', tradingPair: 'BTC-USDT' });
    const bids = book['bids'] as [number, number][];
    const asks = book['asks'] as [number, number][];
    expect(bids.length).toBeGreaterThan(0);
    expect(asks.length).toBeGreaterThan(0);
    expect(bids[0]![0]).toBeLessThan(asks[0]![0]);
  });

  it('the sandbox accepts the keys from the environment on a funded account', async () => {
    const env = { HB_BINANCE_API_KEY: 'sandbox-env-key-91', HB_BINANCE_API_SECRET: 'sandbox-env-secret-77' };
    const r = await runCli(['balance', 'binance', '--sandbox', '--json'], env);
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout).map((l) => l['asset'])).toEqual(['BTC', 'ETH', 'USDT']);
    for (const text of allOutput) {
      expect(text).not.toContain(env.HB_BINANCE_API_KEY);
      expect(text).not.toContain(env.HB_BINANCE_API_SECRET);
    }
  });

  it('demo runs to the end with a fixed seed: book, an order resting, one filled, one cancelled, one refused', async () => {
    const r = await runCli(['demo', '--duration', '2', '--seed', '7', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = ndjson(r.stdout);
    const types = lines.map((l) => l['type']);
    expect(types).toContain('book');
    // A market order may fill across several levels: one OrderFilled per level.
    const events = types.filter(
      (t, i) => t !== 'book' && t !== 'demo' && !(t === 'OrderFilled' && types[i - 1] === 'OrderFilled'),
    );
    expect(events).toEqual([
      'BuyOrderCreated',
      'BuyOrderCreated',
      'OrderFilled',
      'BuyOrderCompleted',
      'OrderCancelled',
      'OrderFailure',
    ]);
    expect(String(lines[lines.length - 1]!['message'])).toMatch(/^demo finished/);
  });
});
