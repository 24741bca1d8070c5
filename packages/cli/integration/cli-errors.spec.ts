// Failures of the real binary: one clear line on stderr, a non-zero exit, and no
// secret anywhere, even when the failure is about the keys.
import { BinanceSimulator, DEMO_ACCOUNT } from '@hb/binance/testing';
import { allOutput, closedPort, runCli } from './run-cli.js';

const WRONG_SECRET = 'wrong-secret-5c2e8a1f';
let sim: BinanceSimulator;
let urls: string[];

beforeAll(async () => {
  sim = await BinanceSimulator.start({ seed: 31, demoAccount: true, depthMode: 'immediate' });
  sim.activity(31).step(50);
  urls = ['--rest-url', sim.restUrl, '--ws-url', sim.wsUrl];
});

afterAll(async () => {
  await sim.stop();
});

function expectOneLine(stderr: string, re: RegExp): void {
  const lines = stderr.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  expect(lines[0]).toMatch(re);
}

describe('hb failures (real binary)', () => {
  it('an unknown API key: authentication rejected with the exchange code and message', async () => {
    const r = await runCli(['balance', 'binance', ...urls], {
      HB_BINANCE_API_KEY: 'no-such-key-1234',
      HB_BINANCE_API_SECRET: WRONG_SECRET,
    });
    expect(r.code).toBe(3); // AuthenticationError
    expect(r.stdout).toBe('');
    expectOneLine(
      r.stderr,
      /^hb: binance: authentication rejected: -2015 Invalid API-key, IP, or permissions for action\.$/,
    );
  });

  it('a wrong secret: the signature is rejected', async () => {
    const r = await runCli(['order', 'binance', 'buy', 'BTC-USDT', '0.001', '--price', '20000', ...urls], {
      HB_BINANCE_API_KEY: DEMO_ACCOUNT.apiKey,
      HB_BINANCE_API_SECRET: WRONG_SECRET,
    });
    expect(r.code).toBe(3); // AuthenticationError
    expectOneLine(
      r.stderr,
      /^hb: binance: authentication rejected: -1022 Signature for this request is not valid\.$/,
    );
  });

  it('missing keys: names the variables to set', async () => {
    const r = await runCli(['balance', 'binance', ...urls]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, /^hb: binance: missing API keys: set HB_BINANCE_API_KEY, HB_BINANCE_API_SECRET /);
  });

  it('a pair the exchange does not list', async () => {
    const r = await runCli(['book', 'binance', 'FOO-BAR', '--once', '--json', ...urls]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr, /^hb: binance: unknown pair FOO-BAR: the exchange lists 3 pairs, e\.g\. /);
  });

  it('an unreachable host: the URL tried and why', async () => {
    const port = await closedPort();
    const r = await runCli([
      'book',
      'binance',
      'BTC-USDT',
      '--once',
      '--rest-url',
      `http://127.0.0.1:${port}`,
      '--ws-url',
      `ws://127.0.0.1:${port}`,
    ]);
    expect(r.code).toBe(8); // NetworkError
    expectOneLine(
      r.stderr,
      new RegExp(
        `^hb: binance: cannot reach http://127\\.0\\.0\\.1:${port}: network error on GET /api/v3/exchangeInfo \\(ECONNREFUSED\\)$`,
      ),
    );
  });

  it('an unknown exchange lists the installed ones', async () => {
    const r = await runCli(['book', 'nosuchx', 'BTC-USDT']);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, /^hb: nosuchx: unknown exchange: installed: .*binance/);
  });

  it('a usage error exits 2 with one line', async () => {
    const r = await runCli(['order', 'binance', 'buy', 'BTC-USDT', 'lots']);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, /^hb: usage: .*amount must be a positive decimal number/);
  });

  it('no secret in any output', () => {
    for (const text of allOutput) expect(text).not.toContain(WRONG_SECRET);
  });
});
