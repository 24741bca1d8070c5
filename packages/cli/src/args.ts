// The command line, parsed into a plain value: parsing is separate from running, so
// the whole grammar is unit-tested without starting anything.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { CandleInterval, OrderSide, OrderType } from './contracts.js';
import { EXIT_USAGE } from './errors.js';

/** Options every command takes. */
export interface CommonOptions {
  /** NDJSON only on stdout. */
  readonly json: boolean;
  /** Replaces the exchange's REST base URL (scheme, host, port). */
  readonly restUrl: string | undefined;
  /** Replaces the exchange's WebSocket base URL(s). */
  readonly wsUrl: string | undefined;
  /** Start the connector's simulator in-process and point at it. */
  readonly sandbox: boolean;
  /** JSON config file with keys (refused if readable by others). */
  readonly config: string | undefined;
  /** Seed of the sandbox's activity. */
  readonly seed: number;
  /** JSON-RPC URL of an Ethereum node, for on-chain venues (else `HB_ETHEREUM_RPC_URL`). */
  readonly rpcUrl?: string | undefined;
  /** The chain the venue's contracts live on (on-chain venues; default the connector's, mainnet). */
  readonly chainId?: number | undefined;
  /** Approve token allowances an on-chain order needs without asking (non-interactive use). */
  readonly approve: boolean;
}

/** A parsed command line. */
export type ParsedCommand =
  | { readonly command: 'exchanges'; readonly options: CommonOptions }
  | {
      readonly command: 'book';
      readonly exchange: string;
      readonly pair: string;
      readonly depth: number;
      readonly once: boolean;
      readonly options: CommonOptions;
    }
  | {
      readonly command: 'trades';
      readonly exchange: string;
      readonly pair: string;
      readonly count: number | undefined;
      readonly options: CommonOptions;
    }
  | { readonly command: 'balance'; readonly exchange: string; readonly options: CommonOptions }
  | {
      readonly command: 'order';
      readonly exchange: string;
      readonly side: OrderSide;
      readonly pair: string;
      /** Decimal string, as typed (money stays exact). */
      readonly amount: string;
      readonly price: string | undefined;
      readonly orderType: OrderType;
      /** Exit once the order is open on the book (default for limit orders). */
      readonly waitOpen: boolean;
      /** Floor the amount to the size step and round the price to the tick instead of refusing. */
      readonly round: boolean;
      readonly options: CommonOptions;
    }
  | {
      readonly command: 'orders';
      readonly exchange: string;
      readonly pair: string | undefined;
      readonly options: CommonOptions;
    }
  | {
      readonly command: 'cancel';
      readonly exchange: string;
      readonly pair: string;
      readonly clientOrderId: string;
      readonly options: CommonOptions;
    }
  | { readonly command: 'cancel-all'; readonly exchange: string; readonly options: CommonOptions }
  /** `hb sandbox serve <exchange>`: the simulator for other terminals' `--sandbox` commands. */
  | { readonly command: 'sandbox-serve'; readonly exchange: string; readonly options: CommonOptions }
  | {
      readonly command: 'ticker';
      readonly exchange: string;
      readonly pair: string;
      readonly options: CommonOptions;
    }
  | {
      readonly command: 'candles';
      readonly exchange: string;
      readonly pair: string;
      readonly interval: CandleInterval;
      /** Earliest open time, ms since epoch. */
      readonly since: number | undefined;
      readonly limit: number | undefined;
      readonly options: CommonOptions;
    }
  | {
      readonly command: 'my-trades';
      readonly exchange: string;
      readonly pair: string;
      /** Earliest trade time, ms since epoch. */
      readonly since: number | undefined;
      readonly limit: number | undefined;
      readonly options: CommonOptions;
    }
  | {
      readonly command: 'connect';
      readonly exchange: string;
      readonly options: CommonOptions;
    }
  | {
      readonly command: 'demo';
      /** Undefined: the default exchange. */
      readonly exchange: string | undefined;
      readonly pair: string | undefined;
      /** Seconds. */
      readonly duration: number;
      readonly options: CommonOptions;
    };

/** What parsing produced: a command to run, or text to print and an exit status (help, usage error). */
export type ParseResult =
  | { readonly kind: 'run'; readonly command: ParsedCommand }
  | { readonly kind: 'exit'; readonly code: number; readonly stdout: string; readonly stderr: string };

/** The default `--depth` of `hb book`. */
export const DEFAULT_DEPTH = 20;
/** The default `--duration` of `hb demo`, seconds. */
export const DEFAULT_DEMO_DURATION = 10;
/** The default `--seed` of the sandbox. */
export const DEFAULT_SEED = 1;

const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

function positiveDecimal(what: string): (v: string) => string {
  return (v) => {
    if (!DECIMAL.test(v) || !/[1-9]/.test(v))
      throw new InvalidArgumentError(`${what} must be a positive decimal number`);
    return v;
  };
}

function positiveInt(what: string, max: number): (v: string) => number {
  return (v) => {
    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max)
      throw new InvalidArgumentError(`${what} must be an integer from 1 to ${max}`);
    return Number(v);
  };
}

function nonNegativeInt(what: string): (v: string) => number {
  return (v) => {
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)))
      throw new InvalidArgumentError(`${what} must be a non-negative integer`);
    return Number(v);
  };
}

/** The candle widths `hb candles --interval` accepts (those every connector with candles serves). */
export const CANDLE_INTERVAL_CHOICES: readonly CandleInterval[] = ['1m', '5m', '15m', '1h', '6h', '1d'];

/**
 * A point in time: ms since the epoch, an ISO date (`2026-12-07`, `2026-12-07T10:00Z`),
 * or a duration back from now (`90s`, `15m`, `2h`, `3d`).
 */
export function parseSince(v: string, now = Date.now()): number {
  const ago = /^(\d+)(s|m|h|d)$/.exec(v);
  if (ago) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[ago[2] as 's' | 'm' | 'h' | 'd'];
    return now - Number(ago[1]) * unit;
  }
  if (/^\d{10,16}$/.test(v)) return Number(v);
  const t = Date.parse(v);
  if (/^\d{4}-\d{2}-\d{2}/.test(v) && Number.isFinite(t)) return t;
  throw new InvalidArgumentError('--since must be ms since the epoch, an ISO date, or a duration such as 2h');
}

function seconds(v: string): number {
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0) || n > 86_400)
    throw new InvalidArgumentError('duration must be a number of seconds, > 0');
  return n;
}

function baseUrl(kind: string, schemes: readonly string[]): (v: string) => string {
  return (v) => {
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new InvalidArgumentError(`${kind} must be a URL such as ${schemes[0]}://127.0.0.1:8080`);
    }
    if (!schemes.includes(u.protocol.replace(/:$/, '')))
      throw new InvalidArgumentError(`${kind} must use ${schemes.join(' or ')}`);
    return v;
  };
}

/** `btc-usdt` -> `BTC-USDT`; anything but one dash between two symbols is refused. */
export function normalizePair(v: string): string {
  const p = v.trim().toUpperCase();
  if (!/^[A-Z0-9.]+-[A-Z0-9.]+$/.test(p))
    throw new InvalidArgumentError(`pair must look like BTC-USDT, got "${v}"`);
  return p;
}

function exchangeName(v: string): string {
  const n = v.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(n))
    throw new InvalidArgumentError(
      `exchange must be a name such as the ones \`hb exchanges\` lists, got "${v}"`,
    );
  return n;
}

interface RawCommon {
  json?: boolean;
  restUrl?: string;
  wsUrl?: string;
  sandbox?: boolean;
  config?: string;
  seed?: number;
  rpcUrl?: string;
  chainId?: number;
  approve?: boolean;
}

function common(o: RawCommon): CommonOptions {
  return {
    json: o.json === true,
    restUrl: o.restUrl,
    wsUrl: o.wsUrl,
    sandbox: o.sandbox === true,
    config: o.config,
    seed: o.seed ?? DEFAULT_SEED,
    rpcUrl: o.rpcUrl,
    chainId: o.chainId,
    approve: o.approve === true,
  };
}

/** Adds the options every command takes. */
function withCommon(cmd: Command): Command {
  return cmd
    .option('--json', 'newline-delimited JSON only on stdout, one object per line')
    .option(
      '--rest-url <url>',
      "replace the exchange's REST base URL (scheme, host, port)",
      baseUrl('--rest-url', ['http', 'https']),
    )
    .option(
      '--ws-url <url>',
      "replace the exchange's WebSocket base URL(s) (scheme, host, port)",
      baseUrl('--ws-url', ['ws', 'wss']),
    )
    .option(
      '--sandbox',
      "start the connector's simulator in-process (seeded activity, funded demo account) and use it",
    )
    .option('--config <file>', 'JSON file with keys per exchange (refused if readable by others)')
    .option('--seed <n>', 'seed of the sandbox market activity', nonNegativeInt('--seed'))
    .option(
      '--rpc-url <url>',
      'JSON-RPC URL of an Ethereum node, for on-chain venues (else HB_ETHEREUM_RPC_URL)',
      baseUrl('--rpc-url', ['http', 'https', 'ws', 'wss']),
    )
    .option(
      '--chain-id <n>',
      "chain id of an on-chain venue (default: the connector's, mainnet 1)",
      positiveInt('--chain-id', 2 ** 32),
    )
    .option(
      '--approve',
      'on-chain venues: approve the token allowances an order needs without asking (one transaction per token)',
    );
}

const HELP_FOOTER = `
Keys come from the environment (or a --config file):
  HB_<EXCHANGE>_API_KEY, HB_<EXCHANGE>_API_SECRET, HB_<EXCHANGE>_PASSPHRASE
  (exchange upper-cased, dashes as underscores: HB_COINBASE_PRO_API_KEY);
  on-chain venues: HB_<EXCHANGE>_PRIVATE_KEY, and the node from --rpc-url,
  HB_<EXCHANGE>_RPC_URL or HB_ETHEREUM_RPC_URL
or, when those are unset, from keys stored by \`hb connect <exchange>\`
(encrypted; the password from HB_PASSWORD or a prompt; HB_HOME moves ~/.hb).

Exit status: 0 ok, 1 failure, 2 usage, 3 authentication, 4 insufficient funds,
5 invalid order, 6 order not found, 7 rate limited, 8 network, 9 timeout,
10 exchange unavailable, 11 malformed answer, 130 interrupted.
Colours only on a terminal; NO_COLOR turns them off.

Start here:  hb demo`;

/**
 * Parses `argv` (without `node` and the script). Never exits the process and never
 * writes: help and usage errors come back as text with an exit status.
 */
export function parseArgs(argv: readonly string[], version = '0.0.0'): ParseResult {
  let result: ParsedCommand | undefined;
  let out = '';
  let err = '';
  const program = new Command('hb');
  const configure = (c: Command): Command =>
    c
      .exitOverride()
      .configureOutput({
        writeOut: (s) => (out += s),
        writeErr: (s) => (err += s),
        outputError: (s) => (err += s),
      })
      .showSuggestionAfterError(true);
  configure(program)
    .description('Order books, trades, balances and orders on any installed hb connector')
    .version(version, '-v, --version')
    .addHelpText('after', HELP_FOOTER)
    .allowExcessArguments(false);

  const sub = (name: string, description: string): Command =>
    withCommon(configure(program.command(name).description(description)).allowExcessArguments(false));

  sub('exchanges', 'list installed connectors and their versions').action((o: RawCommon) => {
    result = { command: 'exchanges', options: common(o) };
  });

  sub('book', 'live order book (best bid/ask, spread, depth, update rate)')
    .argument('<exchange>', 'connector name', exchangeName)
    .argument('<pair>', 'trading pair, BASE-QUOTE', normalizePair)
    .option('--depth <n>', 'levels per side', positiveInt('--depth', 5000), DEFAULT_DEPTH)
    .option('--once', 'print the book once, as soon as it is in sync, and exit')
    .action((exchange: string, pair: string, o: RawCommon & { depth: number; once?: boolean }) => {
      result = { command: 'book', exchange, pair, depth: o.depth, once: o.once === true, options: common(o) };
    });

  sub('trades', 'live public trades')
    .argument('<exchange>', 'connector name', exchangeName)
    .argument('<pair>', 'trading pair, BASE-QUOTE', normalizePair)
    .option('--count <n>', 'exit after this many trades', positiveInt('--count', 1_000_000))
    .action((exchange: string, pair: string, o: RawCommon & { count?: number }) => {
      result = { command: 'trades', exchange, pair, count: o.count, options: common(o) };
    });

  sub('balance', 'balances (total and available)')
    .argument('<exchange>', 'connector name', exchangeName)
    .action((exchange: string, o: RawCommon) => {
      result = { command: 'balance', exchange, options: common(o) };
    });

  sub('order', 'place an order and follow it until it is open, filled, cancelled or failed')
    .argument('<exchange>', 'connector name', exchangeName)
    .argument('<side>', 'buy or sell', (v: string) => {
      const s = v.toLowerCase();
      if (s !== 'buy' && s !== 'sell') throw new InvalidArgumentError('side must be buy or sell');
      return s;
    })
    .argument('<pair>', 'trading pair, BASE-QUOTE', normalizePair)
    .argument('<amount>', 'amount in base', positiveDecimal('amount'))
    .option('--price <price>', 'limit price', positiveDecimal('--price'))
    .addOption(
      new Option('--type <type>', 'order type (default: limit with --price, market without)').choices([
        'limit',
        'limit_maker',
        'market',
      ]),
    )
    .option(
      '--round',
      'floor the amount to the size step and round the price to the tick (never more aggressive)',
    )
    .option('--wait-open', 'exit once the order is open (default for limit orders)')
    .option('--no-wait-open', 'follow the order until it is filled, cancelled or failed')
    .action(
      (
        exchange: string,
        side: OrderSide,
        pair: string,
        amount: string,
        o: RawCommon & { price?: string; type?: OrderType; waitOpen?: boolean; round?: boolean },
        cmd: Command,
      ) => {
        const orderType: OrderType = o.type ?? (o.price === undefined ? 'market' : 'limit');
        if (orderType !== 'market' && o.price === undefined)
          cmd.error(`error: a ${orderType} order needs --price`, { exitCode: EXIT_USAGE });
        if (orderType === 'market' && o.price !== undefined)
          cmd.error('error: a market order takes no --price', { exitCode: EXIT_USAGE });
        // Commander sets waitOpen true by default once --no-wait-open exists: only an explicit flag counts.
        const source = cmd.getOptionValueSource('waitOpen');
        const waitOpen = source === 'cli' ? o.waitOpen === true : orderType !== 'market';
        result = {
          command: 'order',
          exchange,
          side,
          pair,
          amount,
          price: o.price,
          orderType,
          waitOpen,
          round: o.round === true,
          options: common(o),
        };
      },
    );

  sub('orders', 'open orders on the exchange')
    .argument('<exchange>', 'connector name', exchangeName)
    .argument('[pair]', 'only this pair', normalizePair)
    .action((exchange: string, pair: string | undefined, o: RawCommon) => {
      result = { command: 'orders', exchange, pair, options: common(o) };
    });

  sub(
    'cancel',
    'cancel one order by its client order id (or its exchange order id when the exchange lists none)',
  )
    .argument('<exchange>', 'connector name', exchangeName)
    .argument('<pair>', 'trading pair, BASE-QUOTE', normalizePair)
    .argument('<clientOrderId>', 'the client order id hb printed when placing it')
    .action((exchange: string, pair: string, clientOrderId: string, o: RawCommon) => {
      result = { command: 'cancel', exchange, pair, clientOrderId, options: common(o) };
    });

  sub('cancel-all', 'cancel every open order on the exchange')
    .argument('<exchange>', 'connector name', exchangeName)
    .action((exchange: string, o: RawCommon) => {
      result = { command: 'cancel-all', exchange, options: common(o) };
    });

  sub('ticker', 'last price, best bid/ask and 24 h statistics, by REST')
    .argument('<exchange>', 'connector name', exchangeName)
    .argument('<pair>', 'trading pair, BASE-QUOTE', normalizePair)
    .action((exchange: string, pair: string, o: RawCommon) => {
      result = { command: 'ticker', exchange, pair, options: common(o) };
    });

  sub('candles', 'OHLCV candles, by REST, oldest first')
    .argument('<exchange>', 'connector name', exchangeName)
    .argument('<pair>', 'trading pair, BASE-QUOTE', normalizePair)
    .addOption(
      new Option('--interval <width>', 'candle width').choices([...CANDLE_INTERVAL_CHOICES]).default('1m'),
    )
    .option('--since <time>', 'first candle: ms since epoch, ISO date, or ago (2h, 3d)', (v) => parseSince(v))
    .option('--limit <n>', 'at most this many candles', positiveInt('--limit', 1000))
    .action(
      (
        exchange: string,
        pair: string,
        o: RawCommon & { interval: CandleInterval; since?: number; limit?: number },
      ) => {
        result = {
          command: 'candles',
          exchange,
          pair,
          interval: o.interval,
          since: o.since,
          limit: o.limit,
          options: common(o),
        };
      },
    );

  sub('my-trades', "the account's own fills on a pair, by REST, oldest first (needs keys)")
    .argument('<exchange>', 'connector name', exchangeName)
    .argument('<pair>', 'trading pair, BASE-QUOTE', normalizePair)
    .option('--since <time>', 'first fill: ms since epoch, ISO date, or ago (2h, 3d)', (v) => parseSince(v))
    .option('--limit <n>', 'at most this many fills', positiveInt('--limit', 1000))
    .action((exchange: string, pair: string, o: RawCommon & { since?: number; limit?: number }) => {
      result = { command: 'my-trades', exchange, pair, since: o.since, limit: o.limit, options: common(o) };
    });

  sub('connect', 'store API keys for an exchange, encrypted with a password (asked with hidden input)')
    .argument('<exchange>', 'connector name', exchangeName)
    .action((exchange: string, o: RawCommon) => {
      result = { command: 'connect', exchange, options: common(o) };
    });

  const sandbox = configure(
    program
      .command('sandbox')
      .description("a connector's simulator for the --sandbox commands of other terminals"),
  );
  withCommon(
    configure(
      sandbox
        .command('serve')
        .description(
          'run the simulator with market activity until stopped; while it runs, every --sandbox command for the exchange uses it (one account)',
        ),
    ).allowExcessArguments(false),
  )
    .argument('<exchange>', 'connector name', exchangeName)
    .action((exchange: string, o: RawCommon) => {
      result = { command: 'sandbox-serve', exchange, options: common(o) };
    });

  sub(
    'demo',
    'run a connector against its own simulator: live book, then orders placed, filled and cancelled',
  )
    .argument('[exchange]', 'connector name (default binance)', exchangeName)
    .option('--pair <pair>', 'pair to demo (default: the simulator first market)', normalizePair)
    .option('--duration <seconds>', 'how long the demo runs', seconds, DEFAULT_DEMO_DURATION)
    .action((exchange: string | undefined, o: RawCommon & { pair?: string; duration: number }) => {
      result = { command: 'demo', exchange, pair: o.pair, duration: o.duration, options: common(o) };
    });

  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      const help =
        e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version';
      const code = help ? 0 : e.exitCode === 0 ? 0 : EXIT_USAGE;
      // Usage errors read like every other failure: one `hb: ...` line.
      // Help is output, wherever commander meant to write it: always stdout.
      if (help) return { kind: 'exit', code, stdout: out + err, stderr: '' };
      const stderr = code === EXIT_USAGE ? err.replace(/^error: /gm, 'hb: usage: ') : err;
      return { kind: 'exit', code, stdout: out, stderr };
    }
    throw e;
  }
  if (result === undefined) {
    // No command: help on stdout, as most CLIs do; a usage error line on stderr when something was typed.
    return {
      kind: 'exit',
      code: argv.length === 0 ? 0 : EXIT_USAGE,
      stdout: program.helpInformation(),
      stderr: argv.length === 0 ? '' : 'hb: usage: no command given',
    };
  }
  return { kind: 'run', command: result };
}
