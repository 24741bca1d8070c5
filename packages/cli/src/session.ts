// What every command shares: finding the connector, reading keys, starting the
// sandbox, opening a market and waiting until the part the command needs is ready,
// with failures turned into the one-line errors of the contract.
import type { CommonOptions } from './args.js';
import {
  isCliMarket,
  isHbErrorLike,
  type CliMarket,
  type ConnectorCredentials,
  type HbErrorLike,
  type Sandbox,
} from './contracts.js';
import {
  isEmptyCredentials,
  missingFields,
  missingKeysError,
  readConfigFile,
  resolveCredentials,
  secretValuesInConfig,
  type ConfigCredentials,
  type CredentialField,
} from './credentials.js';
import type { ConnectorLoadFailure, InstalledConnector, ModuleImporter } from './discovery.js';
import { CliError, exitCodeFor, formatErrorLine } from './errors.js';
import type { Output } from './output.js';
import { PASSWORD_ENV, hasStoredKeys, openCredentials, readKeyFile } from './keystore.js';
import type { HiddenPrompt } from './prompt.js';
import { findRunningSandbox } from './sandbox-registry.js';
import { assertSandbox, loadStartSandbox } from './sandbox.js';

/** How long a market may take to connect and load, ms. */
const START_TIMEOUT_MS = 30_000;
/** How long an order book may take to sync, ms. */
const BOOK_TIMEOUT_MS = 20_000;
/** How long balances and the user stream may take, ms. */
const ACCOUNT_TIMEOUT_MS = 20_000;

/** Everything a command runs with. */
export interface CliContext {
  readonly out: Output;
  readonly env: NodeJS.ProcessEnv;
  /** Installed connectors (loaded lazily, once). */
  connectors(): Promise<{ connectors: InstalledConnector[]; failures: ConnectorLoadFailure[] }>;
  readonly importer: ModuleImporter;
  /** Resolves when the user interrupts (Ctrl-C, SIGTERM). */
  readonly interrupted: Promise<void>;
  /** Whether the user interrupted. */
  isInterrupted(): boolean;
  /** Registers cleanup to run (in reverse order) when the command ends, however it ends. */
  onCleanup(fn: () => Promise<void> | void): void;
  /** The hidden-input prompt on stdin/stderr (created on first use). */
  prompt(): HiddenPrompt;
}

/** Finds the connector named `exchange`, or fails listing the installed ones. */
export async function findConnector(ctx: CliContext, exchange: string): Promise<InstalledConnector> {
  const { connectors, failures } = await ctx.connectors();
  const found = connectors.find((c) => c.descriptor.name === exchange);
  if (found) return found;
  const broken = failures.find((f) => f.packageName.endsWith(`/${exchange}`));
  if (broken)
    throw new CliError({ exchange, what: `cannot load ${broken.packageName}`, detail: broken.reason });
  const names = connectors.map((c) => c.descriptor.name);
  throw new CliError({
    exchange,
    what: 'unknown exchange',
    detail:
      names.length > 0
        ? `installed: ${names.join(', ')}`
        : 'no hb connector package is installed (npm install @hb/<exchange>)',
  });
}

/** Where a command connects: the overrides, the sandbox's loopback servers, or the connector's defaults. */
export interface Connection {
  readonly endpoints: {
    readonly restUrl?: string;
    readonly wsUrl?: string;
    /** On-chain venues: the Ethereum node (`--rpc-url`, else `HB_ETHEREUM_RPC_URL`, else the sandbox's chain). */
    readonly rpcUrl?: string;
    /** On-chain venues: the chain id (`--chain-id`, or the sandbox's). */
    readonly chainId?: number;
  };
  /** Credentials to use (may be empty for public commands). */
  readonly credentials: ConnectorCredentials;
  /** The sandbox, when `--sandbox` or `demo` started one. */
  readonly sandbox: Sandbox | undefined;
}

/** Reads `--config` (refusing a file readable by others) and registers its values as secrets. */
export function loadConfig(ctx: CliContext, options: CommonOptions): ConfigCredentials | undefined {
  if (options.config === undefined) return undefined;
  const config = readConfigFile(options.config);
  ctx.out.addSecrets(secretValuesInConfig(config));
  return config;
}

/**
 * Resolves endpoints and keys, starting the sandbox when asked. `needKeys` makes
 * missing keys an error (outside the sandbox, whose demo account needs none).
 */
export async function connect(
  ctx: CliContext,
  connector: InstalledConnector,
  options: CommonOptions,
  needKeys: boolean,
  forceSandbox = false,
): Promise<Connection> {
  const name = connector.descriptor.name;
  const config = loadConfig(ctx, options);
  const creds = resolveCredentials(name, ctx.env, config);
  if (options.sandbox && !forceSandbox) {
    // A running `hb sandbox serve` for this exchange: talk to it, so that every
    // command sees the same simulated account.
    const served = findRunningSandbox(ctx.env, name);
    if (served !== undefined) {
      ctx.out.addSecrets(Object.values(served.credentials).filter((v): v is string => typeof v === 'string'));
      return {
        endpoints: {
          restUrl: options.restUrl ?? served.restUrl,
          wsUrl: options.wsUrl ?? served.wsUrl,
          ...chainEndpoints(ctx, options, served),
        },
        credentials: served.credentials,
        sandbox: undefined,
      };
    }
  }
  if (options.sandbox || forceSandbox) {
    const start = await loadStartSandbox(connector, ctx.importer);
    ctx.out.status(`starting the ${name} simulator…`);
    let sandbox: Sandbox;
    try {
      sandbox = assertSandbox(
        name,
        await start({ seed: options.seed, credentials: isEmptyCredentials(creds) ? undefined : creds }),
      );
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError({
        exchange: name,
        what: 'simulator did not start',
        detail: e instanceof Error ? e.message : String(e),
      });
    }
    ctx.onCleanup(() => sandbox.stop());
    ctx.out.addSecrets(Object.values(sandbox.credentials).filter((v): v is string => typeof v === 'string'));
    sandbox.startActivity();
    return {
      // Explicit overrides still win: they let a user point a sandboxed run elsewhere on purpose.
      endpoints: {
        restUrl: options.restUrl ?? sandbox.endpoints.restUrl,
        wsUrl: options.wsUrl ?? sandbox.endpoints.wsUrl,
        ...chainEndpoints(ctx, options, sandbox.endpoints),
      },
      credentials: sandbox.credentials,
      sandbox,
    };
  }
  let credentials = creds;
  if (needKeys) {
    const required = connector.descriptor.credentialFields as CredentialField[];
    if (missingFields(required, credentials).length > 0 && hasStoredKeys(ctx.env, name)) {
      credentials = await storedCredentials(ctx, name, credentials);
    }
    const missing = missingFields(required, credentials);
    if (missing.length > 0) throw missingKeysError(name, missing);
  }
  return {
    endpoints: { restUrl: options.restUrl, wsUrl: options.wsUrl, ...chainEndpoints(ctx, options, {}) },
    credentials,
    sandbox: undefined,
  };
}

/** The env var naming an Ethereum node for every on-chain venue (a venue's own `HB_<X>_RPC_URL` is a credential). */
export const ETHEREUM_RPC_URL_ENV = 'HB_ETHEREUM_RPC_URL';

/**
 * The chain of an on-chain venue: `--rpc-url` / `--chain-id` win, then the
 * sandbox's chain, then `HB_ETHEREUM_RPC_URL` (scrubbed from output like a key:
 * hosted node URLs embed one). Empty for venues that need none.
 */
function chainEndpoints(
  ctx: CliContext,
  options: CommonOptions,
  sandbox: { readonly rpcUrl?: string; readonly chainId?: number },
): { rpcUrl?: string; chainId?: number } {
  const fromEnv = ctx.env[ETHEREUM_RPC_URL_ENV];
  const env = fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
  if (env !== undefined) ctx.out.addSecrets([env]);
  const rpcUrl = options.rpcUrl ?? sandbox.rpcUrl ?? env;
  const chainId = options.chainId ?? sandbox.chainId;
  return {
    ...(rpcUrl !== undefined ? { rpcUrl } : {}),
    ...(chainId !== undefined ? { chainId } : {}),
  };
}

/**
 * Keys stored by `hb connect`, opened with `HB_PASSWORD` or a hidden prompt; a
 * field set in the environment (or config file) still wins.
 */
async function storedCredentials(
  ctx: CliContext,
  exchange: string,
  fromEnv: ConnectorCredentials,
): Promise<ConnectorCredentials> {
  const text = readKeyFile(ctx.env, exchange);
  let password = ctx.env[PASSWORD_ENV];
  if (password === undefined || password === '') {
    const prompt = ctx.prompt();
    if (!prompt.interactive)
      throw new CliError({
        exchange,
        what: 'stored keys need the password',
        detail: `set ${PASSWORD_ENV} (stdin is not a terminal to ask on)`,
      });
    password = await prompt.ask(`password for the stored ${exchange} keys: `);
  }
  const stored = openCredentials(exchange, text, password);
  ctx.out.addSecrets(Object.values(stored).filter((v): v is string => typeof v === 'string'));
  const merged: Partial<Record<CredentialField, string>> = { ...stored };
  for (const [k, v] of Object.entries(fromEnv)) if (typeof v === 'string') merged[k as CredentialField] = v;
  return merged;
}

/** A started market and what it needs to report failures well. */
export interface OpenMarket {
  readonly market: CliMarket;
  readonly exchange: string;
  /** The REST URL tried, for error lines. */
  readonly restUrl: string | undefined;
  /** The WebSocket URL tried, for error lines. */
  readonly wsUrl: string | undefined;
  /** The first authentication-type failure the market reported while starting or polling. */
  accountFailure(): HbErrorLike | undefined;
}

/**
 * Builds and starts a market. Public commands pass no credentials, so nothing
 * private is attempted; private commands pass them. Fails on an unknown pair.
 */
export async function openMarket(
  ctx: CliContext,
  connector: InstalledConnector,
  connection: Connection,
  tradingPairs: readonly string[],
  withKeys: boolean,
): Promise<OpenMarket> {
  const { market, name, restUrl, wsUrl } = buildMarket(ctx, connector, connection, tradingPairs, withKeys);
  let failure: HbErrorLike | undefined;
  const sub = market.notices$.subscribe((n) => {
    if (n.kind === 'poll_failed' && failure === undefined && isAccountFailure(n.error)) failure = n.error;
  });
  ctx.onCleanup(() => sub.unsubscribe());
  ctx.out.status(`connecting to ${name}${restUrl === undefined ? '' : ` (${restUrl})`}…`);
  try {
    await raceInterrupt(ctx, withTimeout(market.start(), START_TIMEOUT_MS));
  } catch (e) {
    throw asCliError(e, { exchange: name, operation: 'connecting', url: restUrl });
  }
  for (const pair of tradingPairs) assertKnownPair(name, market, pair);
  return { market, exchange: name, restUrl, wsUrl, accountFailure: () => failure };
}

/**
 * Builds a market without starting it (no socket, no poll): for one-shot REST
 * calls such as `hb ticker`. Stopped by the command's cleanup.
 */
export function buildMarket(
  ctx: CliContext,
  connector: InstalledConnector,
  connection: Connection,
  tradingPairs: readonly string[],
  withKeys: boolean,
): { market: CliMarket; name: string; restUrl: string | undefined; wsUrl: string | undefined } {
  const name = connector.descriptor.name;
  let built: unknown;
  try {
    built = connector.descriptor.createMarket({
      tradingPairs,
      credentials: withKeys ? connection.credentials : undefined,
      endpoints: connection.endpoints,
    });
  } catch (e) {
    throw asCliError(e, { exchange: name, operation: 'creating the market' });
  }
  if (!isCliMarket(built))
    throw new CliError({ exchange: name, what: 'connector returned no usable market' });
  const market = built;
  let stopped = false;
  ctx.onCleanup(async () => {
    if (stopped) return;
    stopped = true;
    // Stopping closes sockets and timers; it never cancels an order.
    await withTimeout(market.stop(), 5_000).catch(() => undefined);
  });
  const restUrl = connection.endpoints.restUrl ?? marketUrl(market, 'rest');
  const wsUrl = connection.endpoints.wsUrl ?? marketUrl(market, 'ws');
  return { market, name, restUrl, wsUrl };
}

/** Fails with `unknown pair` (and a few pairs that do exist) when the exchange lists no such pair. */
export function assertKnownPair(exchange: string, market: CliMarket, pair: string): void {
  const rules = market.tradingRules;
  if (rules.has(pair)) return;
  const known = [...rules.keys()];
  const [base] = pair.split('-');
  const similar = known.filter((p) => p.startsWith(`${base}-`)).slice(0, 5);
  const examples = (similar.length > 0 ? similar : known.slice(0, 5)).join(', ');
  throw new CliError({
    exchange,
    what: `unknown pair ${pair}`,
    detail:
      known.length > 0
        ? `the exchange lists ${known.length} pairs, e.g. ${examples}`
        : 'the exchange lists no pairs',
  });
}

/** True when every credential field the connector needs is set. */
export function hasAllKeys(connector: InstalledConnector, credentials: ConnectorCredentials): boolean {
  return (
    !isEmptyCredentials(credentials) &&
    missingFields(connector.descriptor.credentialFields as CredentialField[], credentials).length === 0
  );
}

/**
 * One line on stderr when the connector serves a different book without keys
 * (Coinbase: the public `level2_batch` channel instead of the level-3 `full`).
 */
export function noteBookSource(ctx: CliContext, connector: InstalledConnector, withKeys: boolean): void {
  if (withKeys) return;
  const describe = (connector.descriptor as { bookSource?: (withKeys: boolean) => string | undefined })
    .bookSource;
  const text = typeof describe === 'function' ? describe(false) : undefined;
  if (typeof text === 'string' && text !== '') ctx.out.note(`hb: ${connector.descriptor.name}: ${text}`);
}

/**
 * Waits until the pair's order book is live. A refused subscription (or any
 * error retrying cannot fix) ends the wait at once with the exchange's message.
 */
export async function waitForBook(ctx: CliContext, m: OpenMarket, pair: string): Promise<void> {
  ctx.out.status(`syncing the ${pair} order book…`);
  const deadline = Date.now() + BOOK_TIMEOUT_MS;
  while (m.market.getBookStatus(pair).status !== 'live') {
    const fatal = m.market.fatalStreamError;
    if (fatal !== undefined)
      throw asCliError(fatal, {
        exchange: m.exchange,
        operation: `subscribing to the ${pair} book`,
        url: m.wsUrl,
      });
    if (ctx.isInterrupted()) throw interruptedError();
    if (Date.now() > deadline) {
      throw new CliError({
        exchange: m.exchange,
        what: `order book of ${pair} did not sync within ${BOOK_TIMEOUT_MS / 1000} s`,
        detail: m.wsUrl === undefined ? 'no stream data' : `no usable stream data from ${m.wsUrl}`,
      });
    }
    await sleep(20);
  }
  ctx.out.clearStatus();
}

/**
 * Waits until balances are loaded and the user stream (if any) is up. An
 * authentication failure ends the wait at once with the exchange's code and message.
 */
export async function waitForAccount(ctx: CliContext, m: OpenMarket): Promise<void> {
  ctx.out.status(`loading the ${m.exchange} account…`);
  const deadline = Date.now() + ACCOUNT_TIMEOUT_MS;
  for (;;) {
    const failure = m.accountFailure() ?? m.market.fatalStreamError;
    if (failure !== undefined)
      throw asCliError(failure, { exchange: m.exchange, operation: 'loading the account', url: m.restUrl });
    const s = m.market.status;
    if (s.tradingRulesInitialized && s.accountBalanceInitialized && s.userStreamInitialized) break;
    if (ctx.isInterrupted()) throw interruptedError();
    if (Date.now() > deadline) {
      // An account with no balance at all reports none: that is not a failure.
      if (s.tradingRulesInitialized && s.userStreamInitialized) break;
      throw new CliError({
        exchange: m.exchange,
        what: `account not ready within ${ACCOUNT_TIMEOUT_MS / 1000} s`,
        detail: describeStatus({
          tradingRulesInitialized: s.tradingRulesInitialized,
          accountBalanceInitialized: s.accountBalanceInitialized,
          userStreamInitialized: s.userStreamInitialized,
        }),
      });
    }
    await sleep(20);
  }
  ctx.out.clearStatus();
}

function describeStatus(s: object): string {
  const pending = Object.entries(s as Record<string, boolean>)
    .filter(([, v]) => !v)
    .map(([k]) =>
      k
        .replace(/Initialized$/, '')
        .replace(/([A-Z])/g, ' $1')
        .toLowerCase(),
    );
  return pending.length > 0 ? `still waiting for: ${pending.join(', ')}` : 'no answer';
}

/** Failures that mean the keys will never work: stop waiting for the account. */
function isAccountFailure(e: unknown): e is HbErrorLike {
  return isHbErrorLike(e) && (e.reason === 'authentication' || e.reason === 'network');
}

/**
 * The URL a market uses, for error lines when no override was given. Markets are
 * asked for `endpoints.restUrl`/`endpoints.wsUrl` (the contract proposed for core);
 * until that lands, a `urls` object with `rest`/`marketStream` string fields is read.
 */
function marketUrl(market: unknown, kind: 'rest' | 'ws'): string | undefined {
  const m = market as {
    endpoints?: { restUrl?: unknown; wsUrl?: unknown };
    urls?: { rest?: unknown; marketStream?: unknown };
  };
  const v =
    kind === 'rest' ? (m.endpoints?.restUrl ?? m.urls?.rest) : (m.endpoints?.wsUrl ?? m.urls?.marketStream);
  return typeof v === 'string' ? v : undefined;
}

/** Wraps any error as a CliError with the contract's wording (exchange, what failed, code, message). */
export function asCliError(e: unknown, ctx: { exchange: string; operation: string; url?: string }): CliError {
  if (e instanceof CliError) return e;
  const line = formatErrorLine(e, ctx);
  // Keep the formatted line whole: `what` carries everything after `hb: <exchange>: `.
  const prefix = `hb: ${ctx.exchange}: `;
  const rest = line.startsWith(prefix) ? line.slice(prefix.length) : line.replace(/^hb: /, '');
  return new CliError({ exchange: ctx.exchange, what: rest, exitCode: exitCodeFor(e) });
}

/** The error a wait throws when the user pressed Ctrl-C. */
export function interruptedError(): CliError {
  return new CliError({ what: 'interrupted', exitCode: 130 });
}

/** Rejects with {@link interruptedError} when the user interrupts first. */
export function raceInterrupt<T>(ctx: CliContext, p: Promise<T>): Promise<T> {
  return Promise.race([p, ctx.interrupted.then(() => Promise.reject(interruptedError()))]);
}

/** Rejects with an HbError-shaped timeout after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(
      () => reject(Object.assign(new Error(`no answer within ${ms / 1000} s`), { reason: 'timeout' })),
      ms,
    );
    t.unref?.();
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
