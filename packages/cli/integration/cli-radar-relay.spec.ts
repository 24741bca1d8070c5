// `hb ... radar-relay` on the sandbox: the Radar simulator over a local chain with
// the real 0x v3 Exchange, started in-process by the real binary. Allowances are
// asked for (here: refused without a terminal, or given with --approve), a market
// buy is filled on chain, and the wallet moves by the fill and its fees.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BigNumber from 'bignumber.js';
import { RADAR_RELAY_CAPABILITIES } from '@hb/radar-relay';
import { ndjson, runCli, startCli } from './run-cli.js';

const PAIR = 'WETH-DAI';

describe('hb radar-relay (real binary, sandbox chain)', () => {
  it('exchanges --json lists radar-relay with its capabilities and key field', async () => {
    const r = await runCli(['exchanges', '--json']);
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout)).toContainEqual(
      expect.objectContaining({
        name: 'radar-relay',
        package: '@hb/radar-relay',
        capabilities: RADAR_RELAY_CAPABILITIES,
      }),
    );
  });

  it('book --sandbox --once --json prints the relayer book', async () => {
    const r = await runCli(['book', 'radar-relay', PAIR, '--sandbox', '--json', '--once']);
    expect(r.code).toBe(0);
    const [book] = ndjson(r.stdout);
    expect(book).toMatchObject({ exchange: 'radar-relay', tradingPair: PAIR });
    const bids = book!['bids'] as [number, number][];
    const asks = book!['asks'] as [number, number][];
    expect(bids.length).toBeGreaterThan(0);
    expect(asks.length).toBeGreaterThan(0);
  }, 60_000);

  it('an order that needs an allowance is refused without a terminal to ask on, naming --approve; nothing is placed', async () => {
    const r = await runCli(['order', 'radar-relay', 'sell', PAIR, '1', '--price', '1000', '--sandbox']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/allowance missing for WETH/);
    expect(r.stderr).toMatch(/--approve/);
    expect(r.stdout).not.toMatch(/placing/);
  }, 60_000);

  it('order buy --type market --approve is filled on chain; the wallet moves by the fill, the protocol fee and the gas', async () => {
    const r = await runCli([
      'order',
      'radar-relay',
      'buy',
      PAIR,
      '0.1',
      '--type',
      'market',
      '--sandbox',
      '--approve',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const lines = ndjson(r.stdout);
    const fills = lines.filter((l) => l['type'] === 'OrderFilled');
    expect(fills.length).toBeGreaterThan(0);
    expect(lines.some((l) => l['type'] === 'BuyOrderCompleted')).toBe(true);
    const base = fills.reduce((a, f) => a.plus(String(f['amount'])), new BigNumber(0));
    const quote = fills.reduce(
      (a, f) => a.plus(new BigNumber(String(f['amount'])).times(String(f['price']))),
      new BigNumber(0),
    );
    const fees = fills.flatMap((f) => f['fees'] as { amount: string; asset: string; kind?: string }[]);
    const eth = fees.filter((f) => f.asset === 'ETH').reduce((a, f) => a.plus(f.amount), new BigNumber(0));
    expect(fees.some((f) => f.kind === 'protocol' && new BigNumber(f.amount).gt(0))).toBe(true);
    expect(fees.some((f) => f.kind === 'gas' && new BigNumber(f.amount).gt(0))).toBe(true);
    const wallet = new Map(
      lines.filter((l) => l['type'] === 'wallet').map((l) => [l['asset'], String(l['change'])]),
    );
    expect(wallet.get('WETH')).toBe(base.toFixed());
    expect(wallet.get('DAI')).toBe(quote.negated().toFixed());
    expect(wallet.get('ETH')).toBe(eth.negated().toFixed());
  }, 90_000);

  it('demo radar-relay runs to the end: a resting order, a market fill on chain, a cancel on chain, a refusal', async () => {
    const r = await runCli(['demo', 'radar-relay', '--duration', '10', '--json']);
    expect(r.code).toBe(0);
    const types = ndjson(r.stdout)
      .map((l) => l['type'])
      .filter(
        (t, i, all) =>
          t !== 'book' &&
          t !== 'demo' &&
          t !== 'approval' &&
          !(t === 'OrderFilled' && all[i - 1] === 'OrderFilled'),
      );
    expect(types).toEqual([
      'BuyOrderCreated',
      'BuyOrderCreated',
      'OrderFilled',
      'BuyOrderCompleted',
      'OrderCancelled',
      'OrderFailure',
    ]);
  }, 90_000);

  it('serve radar-relay; order (signed, posted), orders lists it by hash, cancel by that hash cancels it on chain; trades', async () => {
    const home = mkdtempSync(join(tmpdir(), 'hb-radar-'));
    const env = { HB_HOME: home };
    const serve = startCli(['sandbox', 'serve', 'radar-relay', '--json'], env);
    try {
      await serve.waitForLine(/"type":"sandbox"/);
      const order = await runCli(
        ['order', 'radar-relay', 'sell', PAIR, '0.5', '--price', '250', '--sandbox', '--approve', '--json'],
        env,
      );
      expect(order.code).toBe(0);
      const lines = ndjson(order.stdout);
      expect(lines.some((l) => l['type'] === 'approval' && l['asset'] === 'WETH')).toBe(true);
      const created = lines.find((l) => l['type'] === 'SellOrderCreated')!;
      const hash = String(created['exchangeOrderId']);
      expect(hash).toMatch(/^0x[0-9a-f]{64}$/);

      const listed = await runCli(['orders', 'radar-relay', '--sandbox', '--json'], env);
      expect(listed.code).toBe(0);
      expect(ndjson(listed.stdout).map((l) => l['exchangeOrderId'])).toEqual([hash]);

      const cancel = await runCli(['cancel', 'radar-relay', PAIR, hash, '--sandbox', '--json'], env);
      expect(cancel.code).toBe(0);
      expect(ndjson(cancel.stdout).some((l) => l['type'] === 'OrderCancelled')).toBe(true);
      const after = await runCli(['orders', 'radar-relay', '--sandbox', '--json'], env);
      expect(ndjson(after.stdout)).toEqual([]);

      const trades = await runCli(
        ['trades', 'radar-relay', PAIR, '--sandbox', '--json', '--count', '1'],
        env,
      );
      expect(trades.code).toBe(0);
      expect(ndjson(trades.stdout)[0]).toMatchObject({ exchange: 'radar-relay', tradingPair: PAIR });

      // Without --sandbox: the key from HB_RADAR_RELAY_PRIVATE_KEY, the node from HB_ETHEREUM_RPC_URL
      // (then from --rpc-url), the relayer from --rest-url/--ws-url; neither secret is ever printed.
      const note = JSON.parse(readFileSync(join(home, 'sandbox', 'radar-relay.json'), 'utf8')) as {
        restUrl: string;
        wsUrl: string;
        rpcUrl: string;
        chainId: number;
        credentials: { privateKey: string };
      };
      const urls = ['--rest-url', note.restUrl, '--ws-url', note.wsUrl, '--chain-id', String(note.chainId)];
      const keys = { HB_RADAR_RELAY_PRIVATE_KEY: note.credentials.privateKey };
      const viaEnv = await runCli(['balance', 'radar-relay', '--json', ...urls], {
        ...keys,
        HB_ETHEREUM_RPC_URL: note.rpcUrl,
      });
      expect(viaEnv.code).toBe(0);
      expect(ndjson(viaEnv.stdout).find((l) => l['asset'] === 'WETH')).toMatchObject({
        exchange: 'radar-relay',
      });
      const viaFlag = await runCli(
        ['balance', 'radar-relay', '--json', ...urls, '--rpc-url', note.rpcUrl],
        keys,
      );
      expect(viaFlag.code).toBe(0);
      for (const text of [viaEnv.stdout, viaEnv.stderr, viaFlag.stdout, viaFlag.stderr]) {
        expect(text).not.toContain(note.credentials.privateKey.slice(2));
        expect(text).not.toContain(note.rpcUrl);
      }
      const noNode = await runCli(['balance', 'radar-relay', ...urls], keys);
      expect(noNode.code).toBe(3);
      expect(noNode.stderr).toMatch(/HB_ETHEREUM_RPC_URL/);
    } finally {
      serve.child.kill('SIGINT');
      await serve.done;
      rmSync(home, { recursive: true, force: true });
    }
  }, 180_000);
});
