import { passivePrice } from '../src/commands/trading.js';
import {
  DEFAULT_DEMO_DURATION,
  DEFAULT_DEPTH,
  parseArgs,
  parseSince,
  type ParsedCommand,
} from '../src/args.js';
import { EXIT_USAGE } from '../src/errors.js';

function run(argv: string[]): ParsedCommand {
  const r = parseArgs(argv);
  if (r.kind !== 'run') throw new Error(`expected a command, got exit ${r.code}: ${r.stderr}`);
  return r.command;
}

function usageError(argv: string[]): string {
  const r = parseArgs(argv);
  if (r.kind !== 'exit') throw new Error('expected a usage error');
  expect(r.code).toBe(EXIT_USAGE);
  return r.stderr;
}

describe('parseArgs', () => {
  it('parses sandbox serve <exchange> with the common options', () => {
    const r = parseArgs(['sandbox', 'serve', 'Binance', '--json', '--seed', '3']);
    expect(r).toMatchObject({
      kind: 'run',
      command: { command: 'sandbox-serve', exchange: 'binance', options: { json: true, seed: 3 } },
    });
    expect(parseArgs(['sandbox', 'serve'])).toMatchObject({ kind: 'exit', code: 2 });
  });

  it('parses book with its defaults and normalises the pair', () => {
    const c = run(['book', 'Binance', 'btc-usdt']);
    expect(c).toEqual({
      command: 'book',
      exchange: 'binance',
      pair: 'BTC-USDT',
      depth: DEFAULT_DEPTH,
      once: false,
      options: {
        json: false,
        restUrl: undefined,
        wsUrl: undefined,
        sandbox: false,
        config: undefined,
        seed: 1,
        approve: false,
      },
    });
  });

  it('takes the common options on every command, after the arguments', () => {
    const c = run([
      'book',
      'binance',
      'BTC-USDT',
      '--json',
      '--once',
      '--depth',
      '5',
      '--rest-url',
      'http://127.0.0.1:1234',
      '--ws-url',
      'ws://127.0.0.1:1235',
      '--sandbox',
      '--config',
      '/tmp/k.json',
      '--seed',
      '9',
      '--rpc-url',
      'http://127.0.0.1:8545',
      '--chain-id',
      '31337',
      '--approve',
    ]);
    expect(c).toMatchObject({ command: 'book', depth: 5, once: true });
    expect(c.options).toEqual({
      json: true,
      restUrl: 'http://127.0.0.1:1234',
      wsUrl: 'ws://127.0.0.1:1235',
      sandbox: true,
      config: '/tmp/k.json',
      seed: 9,
      rpcUrl: 'http://127.0.0.1:8545',
      chainId: 31337,
      approve: true,
    });
    expect(usageError(['book', 'x', 'A-B', '--rpc-url', 'ftp://x'])).toMatch(/--rpc-url must use/);
    expect(usageError(['book', 'x', 'A-B', '--chain-id', '0'])).toMatch(/--chain-id must be an integer/);
    for (const cmd of [
      ['exchanges'],
      ['balance', 'x'],
      ['orders', 'x'],
      ['cancel-all', 'x'],
      ['demo'],
      ['trades', 'x', 'A-B'],
      ['cancel', 'x', 'A-B', 'id1'],
    ]) {
      expect(run([...cmd, '--json']).options.json).toBe(true);
    }
  });

  it('infers the order type from --price and waits for open only for limit orders by default', () => {
    expect(run(['order', 'binance', 'buy', 'BTC-USDT', '0.01', '--price', '30000'])).toMatchObject({
      command: 'order',
      side: 'buy',
      amount: '0.01',
      price: '30000',
      orderType: 'limit',
      waitOpen: true,
    });
    expect(run(['order', 'binance', 'SELL', 'BTC-USDT', '0.01'])).toMatchObject({
      side: 'sell',
      orderType: 'market',
      price: undefined,
      waitOpen: false,
    });
    expect(
      run([
        'order',
        'binance',
        'buy',
        'BTC-USDT',
        '1',
        '--price',
        '1',
        '--type',
        'limit_maker',
        '--no-wait-open',
      ]),
    ).toMatchObject({ orderType: 'limit_maker', waitOpen: false });
    expect(run(['order', 'binance', 'buy', 'BTC-USDT', '1', '--wait-open'])).toMatchObject({
      orderType: 'market',
      waitOpen: true,
    });
  });

  it('refuses malformed orders with a usage error', () => {
    expect(usageError(['order', 'binance', 'buy', 'BTC-USDT', '1', '--type', 'limit'])).toMatch(
      /^hb: usage: a limit order needs --price/,
    );
    expect(
      usageError(['order', 'binance', 'buy', 'BTC-USDT', '1', '--type', 'market', '--price', '5']),
    ).toMatch(/market order takes no --price/);
    expect(usageError(['order', 'binance', 'hold', 'BTC-USDT', '1'])).toMatch(/side must be buy or sell/);
    expect(usageError(['order', 'binance', 'buy', 'BTC-USDT', '-1'])).toMatch(/hb: usage:/);
    expect(usageError(['order', 'binance', 'buy', 'BTC-USDT', '0'])).toMatch(
      /amount must be a positive decimal/,
    );
    expect(usageError(['order', 'binance', 'buy', 'BTC-USDT', '1e3'])).toMatch(
      /amount must be a positive decimal/,
    );
    expect(usageError(['order', 'binance', 'buy', 'BTC-USDT', '1', '--type', 'stop'])).toMatch(
      /Allowed choices are limit, limit_maker, market/,
    );
  });

  it('refuses bad pairs, depths, URLs and unknown commands', () => {
    expect(usageError(['book', 'binance', 'BTCUSDT'])).toMatch(/pair must look like BTC-USDT/);
    expect(usageError(['book', 'binance', 'BTC-USDT', '--depth', '0'])).toMatch(/--depth must be an integer/);
    expect(usageError(['book', 'binance', 'BTC-USDT', '--rest-url', 'ftp://x'])).toMatch(
      /--rest-url must use http or https/,
    );
    expect(usageError(['book', 'binance', 'BTC-USDT', '--ws-url', 'nonsense'])).toMatch(
      /--ws-url must be a URL/,
    );
    expect(usageError(['bok', 'binance', 'BTC-USDT'])).toMatch(/unknown command 'bok'/);
    expect(usageError(['book', 'binance'])).toMatch(/missing required argument 'pair'/);
    expect(usageError(['book', 'binance', 'BTC-USDT', 'extra'])).toMatch(/too many arguments/);
  });

  it('parses demo with its defaults', () => {
    expect(run(['demo'])).toMatchObject({
      command: 'demo',
      exchange: undefined,
      pair: undefined,
      duration: DEFAULT_DEMO_DURATION,
    });
    expect(run(['demo', 'binance', '--duration', '2.5', '--seed', '7', '--pair', 'eth-usdt'])).toMatchObject({
      exchange: 'binance',
      duration: 2.5,
      pair: 'ETH-USDT',
      options: { seed: 7 },
    });
    expect(usageError(['demo', '--duration', '0'])).toMatch(/duration must be/);
  });

  it('prints help on stdout with status 0', () => {
    const r = parseArgs(['--help']);
    expect(r).toMatchObject({ kind: 'exit', code: 0 });
    if (r.kind === 'exit') expect(r.stdout).toMatch(/HB_<EXCHANGE>_API_KEY/);
    const v = parseArgs(['--version'], '1.2.3');
    expect(v).toMatchObject({ kind: 'exit', code: 0, stdout: '1.2.3\n' });
  });
});

describe('REST market data and connect commands', () => {
  it('parses ticker, candles (interval, since, limit), my-trades and connect', () => {
    const now = Date.UTC(2026, 11, 7, 12);
    expect(parseSince('2h', now)).toBe(now - 7_200_000);
    expect(parseSince('1700000000000')).toBe(1_700_000_000_000);
    expect(parseSince('2026-12-07')).toBe(Date.UTC(2026, 11, 7));
    expect(() => parseSince('yesterday')).toThrow(/--since/);
    const t = parseArgs(['ticker', 'binance', 'btc-usdt']);
    expect(t).toMatchObject({
      kind: 'run',
      command: { command: 'ticker', exchange: 'binance', pair: 'BTC-USDT' },
    });
    const c = parseArgs([
      'candles',
      'binance',
      'BTC-USDT',
      '--interval',
      '5m',
      '--since',
      '1700000000000',
      '--limit',
      '3',
    ]);
    expect(c).toMatchObject({
      kind: 'run',
      command: { command: 'candles', interval: '5m', since: 1_700_000_000_000, limit: 3 },
    });
    expect(parseArgs(['candles', 'binance', 'BTC-USDT'])).toMatchObject({ command: { interval: '1m' } });
    expect(parseArgs(['candles', 'binance', 'BTC-USDT', '--interval', '7m'])).toMatchObject({
      kind: 'exit',
      code: 2,
    });
    expect(parseArgs(['my-trades', 'binance', 'BTC-USDT', '--limit', '10'])).toMatchObject({
      command: { command: 'my-trades', limit: 10, since: undefined },
    });
    expect(parseArgs(['connect', 'coinbase-pro'])).toMatchObject({
      command: { command: 'connect', exchange: 'coinbase-pro' },
    });
  });

  it('order --round', () => {
    expect(
      parseArgs(['order', 'binance', 'buy', 'BTC-USDT', '0.1', '--price', '1', '--round']),
    ).toMatchObject({
      command: { command: 'order', round: true },
    });
    expect(parseArgs(['order', 'binance', 'buy', 'BTC-USDT', '0.1', '--price', '1'])).toMatchObject({
      command: { round: false },
    });
    expect(passivePrice('100.009', '0.01', 'buy')).toBe('100');
    expect(passivePrice('100.001', '0.01', 'sell')).toBe('100.01');
    expect(passivePrice('100.01', '0.01', 'sell')).toBe('100.01');
    expect(passivePrice('7', '0', 'buy')).toBe('7');
  });

  it('help goes to stdout, also when no command is given', () => {
    const none = parseArgs([]);
    expect(none).toMatchObject({ kind: 'exit', code: 0, stderr: '' });
    expect(none.kind === 'exit' && none.stdout).toMatch(/Usage: hb/);
    const help = parseArgs(['--help']);
    expect(help.kind === 'exit' && help.stdout).toMatch(/hb connect/);
    expect(help.kind === 'exit' && help.stderr).toBe('');
  });
});
