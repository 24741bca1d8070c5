// The files of a new connector, by role. `{x}` below is the exchange name
// (kraken), `{X}` its class prefix (Kraken), `{XC}` its constant prefix (KRAKEN).
// Each stub throws core's `notImplemented(exchange, what)`, so the package
// compiles and lints, and its conformance run names what is missing.
'use strict';

/** Paths every connector package has, relative to packages/<name>/ (`{x}` is the name). */
const CONNECTOR_TREE = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'tsconfig.json',
  'tsconfig.lib.json',
  'tsconfig.spec.json',
  'jest.config.cjs',
  'jest.integration.config.cjs',
  'src/index.ts',
  'src/{x}-constants.ts',
  'src/{x}-utils.ts',
  'src/{x}-errors.ts',
  'src/{x}-auth.ts',
  'src/{x}-api-client.ts',
  'src/{x}-market.ts',
  'src/{x}-order-parsers.ts',
  'src/{x}-trading-rules.ts',
  'src/{x}-order-book.ts',
  'src/{x}-order-book-data-source.ts',
  'src/{x}-order-book-tracker.ts',
  'src/{x}-user-stream-data-source.ts',
  'src/{x}-user-stream-tracker.ts',
  'src/testing/index.ts',
  'src/testing/{x}-sim-types.ts',
  'src/testing/{x}-sim-rest.ts',
  'src/testing/{x}-simulator.ts',
  'src/testing/{x}-sandbox.ts',
  'src/testing/{x}-conformance-harness.ts',
  'test/fixtures/README.md',
  'integration/market.spec.ts',
  'integration/order-book-tracker.spec.ts',
  'integration/user-stream-tracker.spec.ts',
  'integration/live.spec.ts',
];

function connectorFiles({ name: x, className: X, constName: XC, displayName }) {
  const ni = (what) => `notImplemented(${XC}_EXCHANGE, '${what}')`;
  /** `gate-io` -> `gateIo`: the prefix of the package's functions. */
  const camel = x.replace(/-([a-z0-9])/g, (_m, c) => c.toUpperCase());
  const files = {};

  files['package.json'] =
    JSON.stringify(
      {
        name: `@hb/${x}`,
        version: '0.1.0',
        description: `hb connector for ${displayName}: order book, orders, user stream, and a loopback simulator`,
        license: 'Apache-2.0',
        type: 'module',
        main: './dist/index.js',
        types: './dist/index.d.ts',
        exports: {
          '.': { '@hb/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
          './testing': {
            '@hb/source': './src/testing/index.ts',
            types: './dist/testing/index.d.ts',
            default: './dist/testing/index.js',
          },
          './package.json': './package.json',
        },
        files: ['dist', '!dist/**/*.tsbuildinfo', 'README.md', 'CHANGELOG.md'],
        sideEffects: false,
        dependencies: { 'bignumber.js': '11.1.5', rxjs: '7.8.2' },
        peerDependencies: { '@hb/core': '^0.1.0', '@hb/testing': '^0.1.0' },
        peerDependenciesMeta: { '@hb/testing': { optional: true } },
        devDependencies: { '@hb/core': '0.1.0', '@hb/testing': '0.1.0' },
        nx: {
          name: x,
          tags: ['scope:connector', 'type:cex'],
          targets: { build: {}, typecheck: {}, test: {}, integration: {}, lint: {} },
        },
      },
      null,
      2,
    ) + '\n';

  files['tsconfig.json'] = `{
  "files": [],
  "references": [{ "path": "./tsconfig.lib.json" }]
}
`;
  files['tsconfig.lib.json'] = `{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": {
    "rootDir": "src",
    "outDir": "dist",
    "tsBuildInfoFile": "dist/tsconfig.lib.tsbuildinfo",
    "types": ["node"]
  },
  "include": ["src/**/*.ts"],
  "references": [{ "path": "../core/tsconfig.lib.json" }, { "path": "../testing/tsconfig.lib.json" }],
  "exclude": ["src/**/*.spec.ts", "src/**/*.test.ts"]
}
`;
  files['tsconfig.spec.json'] = `{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": {
    "composite": false,
    "declaration": false,
    "declarationMap": false,
    "noEmit": true,
    "types": ["jest", "node"]
  },
  "include": ["src/**/*.ts", "test/**/*.ts", "integration/**/*.ts"]
}
`;
  files['jest.config.cjs'] = `const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, '${x}:test', {
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
  passWithNoTests: true,
});
`;
  files['jest.integration.config.cjs'] = `const { preset } = require('../../jest.preset.js');

module.exports = preset(__dirname, '${x}:integration', {
  testMatch: ['<rootDir>/integration/**/*.spec.ts'],
  testTimeout: 30000,
});
`;

  files['README.md'] = `# @hb/${x}

The hb connector for ${displayName}. **Generated skeleton**: the exchange code throws
"not implemented" until it is written (see CONTRIBUTING.md at the repository root).

## Install

The packages are not on the npm registry yet: install them from a clone of the
repository, as tarballs or by workspace path.

\`\`\`sh
# in the clone: build, then pack (writes hb-core-0.1.0.tgz, hb-${x}-0.1.0.tgz)
npm ci && npx nx run-many -t build -p core ${x}
npm pack ./packages/core ./packages/${x}
# in your project
npm install /path/to/hb/hb-core-0.1.0.tgz /path/to/hb/hb-${x}-0.1.0.tgz
\`\`\`

Or, in an npm workspace that includes the repository's \`packages/*\`, depend on
\`"@hb/core": "*"\`, \`"@hb/${x}": "*"\` and run \`npm install\`. \`@hb/core\` is a peer
dependency (one core serves every connector); the simulator at \`@hb/${x}/testing\`
also needs \`@hb/testing\` (an optional peer, packed the same way).

## Keys

\`HB_${XC}_API_KEY\` and \`HB_${XC}_API_SECRET\` (environment, as the \`hb\` CLI reads them). Never on the command line.

## Example

This runs as it is against the simulator the package ships (no keys, no network)
once the exchange code is written; for the exchange, drop the simulator lines and
pass your \`apiKey\` and \`apiSecret\`.

\`\`\`ts
import { ${X}Market } from '@hb/${x}';
import { ${X}Simulator } from '@hb/${x}/testing';

const sim = await ${X}Simulator.start({ demoAccount: true });
sim.activity(1).step(100); // other traders' orders, so the book has depth
const market = new ${X}Market({
  tradingPairs: ['BTC-USDT'],
  apiKey: sim.demoAccount!.apiKey,
  apiSecret: sim.demoAccount!.apiSecret,
  restUrl: sim.restUrl,
  wsUrl: sim.wsUrl,
});
try {
  await market.start();
  await market.waitUntilReady(30_000);
  console.log('best bid', market.getOrderBook('BTC-USDT').bestBid);
} finally {
  await market.stop();
  await sim.stop(); // nothing left running: the process exits
}
\`\`\`

## Capabilities

<!-- capabilities:start (generated from the connector's capabilities; npm run readme:capabilities) -->
<!-- capabilities:end -->

## Quirks

None recorded yet: list here what differs from the other connectors.
`;
  files['CHANGELOG.md'] = `# Changelog — @hb/${x}

## Unreleased

- Generated with \`npx nx g @hb/tools:connector ${x}\`: the connector tree, every exchange piece a
  "not implemented" stub.
`;

  files['src/index.ts'] = `// The public surface of @hb/${x}. Wire types, parsers and the raw client's
// internals stay private to the package; the simulator is at '@hb/${x}/testing'.
import { cexMarketOptions, type ConnectorDescriptor } from '@hb/core/connector';
import { ${XC}_CAPABILITIES, ${X}Market } from './${x}-market.js';

export { ${X}Market, ${XC}_CAPABILITIES, type ${X}MarketOptions } from './${x}-market.js';
export { ${XC}_EXCHANGE } from './${x}-constants.js';

/** The package version, kept in step with package.json by the release tooling's check. */
export const ${XC}_PACKAGE_VERSION = '0.1.0';

/** What tools such as the \`hb\` CLI discover: how to build a ${displayName} market. */
export const connector: ConnectorDescriptor<${X}Market> = {
  name: '${x}',
  displayName: '${displayName}',
  version: ${XC}_PACKAGE_VERSION,
  capabilities: ${XC}_CAPABILITIES,
  credentialFields: ['apiKey', 'apiSecret'],
  createMarket: (request) => new ${X}Market(cexMarketOptions(request)),
};
`;

  files[`src/${x}-constants.ts`] = `// ${displayName} endpoints, paths and limits, as documented in
// shared/exchanges/${x}.md. Everything a request builder or rate limiter needs to
// know about the venue lives here, so a documentation change is a one-file change.
import type { RateLimitRule, SocketTimingDefaults } from '@hb/core/connector';

/** The exchange name carried by every HbError this package raises. */
export const ${XC}_EXCHANGE = '${x}';

/** Base URLs of one ${displayName} environment. */
export interface ${X}Urls {
  /** REST base (paths are appended as-is). */
  readonly rest: string;
  /** WebSocket base. */
  readonly ws: string;
}

/** Production endpoints (fill in from the exchange's documentation). */
export const ${XC}_URLS: ${X}Urls = {
  rest: 'https://api.${x}.invalid',
  ws: 'wss://ws.${x}.invalid',
};

/** REST paths we call. */
export const ${XC}_PATHS = {
  time: '/time',
  order: '/order',
} as const;

/** The exchange's published REST limits (fill in). */
export const ${XC}_RATE_LIMITS: readonly RateLimitRule[] = [
  { id: 'REQUESTS', limit: 10, intervalMs: 1_000, kind: 'sliding_window' },
];

/**
 * Keep-alive of ${displayName}'s sockets unless the market is told otherwise
 * (core's \`wsTiming\` fills the gaps of a market's timing with these; fill in
 * from the exchange's notes): protocol pings, and when a silent socket is dead.
 */
export const ${XC}_SOCKET_TIMING: SocketTimingDefaults = { pingIntervalMs: 20_000, deadAfterMs: 60_000 };
`;

  files[`src/${x}-utils.ts`] =
    `// Names and ids on the ${displayName} wire: exchange symbol <-> \`BASE-QUOTE\`,
// the client-order-id policy, and the JSON readers every parser uses.
import {
  createWireReaders,
  prefixedClientOrderIds,
  type ClientOrderIdPolicy,
} from '@hb/core/connector';
import { ${XC}_EXCHANGE } from './${x}-constants.js';

/** Core's JSON readers, bound to ${displayName} so every parse error names the exchange. */
export const { malformed, asObject, asArray, readString, readDecimal } = createWireReaders(${XC}_EXCHANGE);

/**
 * ${displayName}'s client-order-id policy (check the exchange's own limit on
 * length and characters, and change the pattern to it).
 */
export const ${XC}_CLIENT_ORDER_IDS: ClientOrderIdPolicy = prefixedClientOrderIds({
  exchange: ${XC}_EXCHANGE,
  pattern: /^[A-Za-z0-9_-]{1,32}$/,
  describe: '1-32 characters of [A-Za-z0-9_-]',
});
`;

  files[`src/${x}-errors.ts`] = `// ${displayName} refusals -> hb reasons, in one table. The spec walks every
// row; classify${X}Error is the only way this package turns a refusal into an HbError.
import {
  createErrorClassifier,
  fieldsReader,
  type ErrorMapping,
  type ExchangeErrorClassifier,
} from '@hb/core/connector';
import { ${XC}_EXCHANGE } from './${x}-constants.js';

/** Every code or message we classify (fill in from the exchange's error list). Unlisted: by HTTP status. */
export const ${XC}_ERROR_TABLE: readonly ErrorMapping[] = [];

/** A refused ${displayName} request -> HbError (a 5xx is always an unknown outcome). */
export const classify${X}Error: ExchangeErrorClassifier = createErrorClassifier(
  ${XC}_EXCHANGE,
  ${XC}_ERROR_TABLE,
  fieldsReader({ code: 'code', message: 'message' }),
);
`;

  files[`src/${x}-auth.ts`] = `// Signing of ${displayName} private requests. The keys live in core's
// Credentials (masked in every printing path); read them only to sign.
import {
  CredentialedAuth,
  notImplemented,
  type Auth,
  type Credentials,
  type RestRequestToSign,
  type SignedRestRequest,
} from '@hb/core/connector';
import { ${XC}_EXCHANGE } from './${x}-constants.js';

/** Signs ${displayName} requests. */
export class ${X}Auth extends CredentialedAuth implements Auth {
  constructor(credentials: Credentials, serverTime: () => number) {
    super(credentials, serverTime);
  }

  protected get authName(): string {
    return '${X}Auth';
  }

  signRest(_request: RestRequestToSign): SignedRestRequest {
    throw ${ni(`request signing (src/${x}-auth.ts)`)};
  }
}
`;

  files[`src/${x}-api-client.ts`] =
    `import { ExchangeApiClient, notImplemented, type ExchangeApiClientOptions } from '@hb/core/connector';
import { ${X}Auth } from './${x}-auth.js';
import { ${XC}_EXCHANGE, ${XC}_RATE_LIMITS } from './${x}-constants.js';
import { classify${X}Error } from './${x}-errors.js';

/**
 * The raw ${displayName} REST client: one method per endpoint, each one
 * \`this.request({...})\` with the endpoint's path and costs.
 */
export class ${X}ApiClient extends ExchangeApiClient<${X}Auth> {
  constructor(options: ExchangeApiClientOptions) {
    super(
      {
        exchange: ${XC}_EXCHANGE,
        rateLimits: ${XC}_RATE_LIMITS,
        defaultCosts: { REQUESTS: 1 },
        classifyError: classify${X}Error,
        createAuth: (credentials, serverTime) => new ${X}Auth(credentials, serverTime),
      },
      options,
    );
  }

  async time(): Promise<number> {
    throw ${ni(`the server time endpoint (src/${x}-api-client.ts)`)};
  }
}
`;

  files[`src/${x}-order-parsers.ts`] =
    `// What ${displayName} says about our orders and account, in core's terms:
// order status -> OrderState, order answers, fills, balances and user-stream
// events -> OrderUpdate / TradeUpdate / BalanceUpdate. Core's InFlightOrder owns
// every transition; this file only reports what the exchange said.
import { notImplemented, type OrderState } from '@hb/core/connector';
import { ${XC}_EXCHANGE } from './${x}-constants.js';

/** The exchange's order status -> core's OrderState. */
export function toOrderState(_status: string): OrderState {
  throw ${ni(`order status mapping (src/${x}-order-parsers.ts)`)};
}
`;

  files[`src/${x}-order-requests.ts`] =
    `// Our orders as the exchange wants them placed: the exact params or body of
// the placement request. The API client sends it (one method per endpoint).
// Amounts and prices go through core's positiveDecimalParam / limitPriceParam,
// so a bad one is a RangeError before anything is sent.
import { notImplemented, type OrderRequestFields } from '@hb/core/connector';
import { ${XC}_EXCHANGE } from './${x}-constants.js';

/** One order as the market wants it placed. */
export interface NewOrderRequest extends OrderRequestFields {
  /** The exchange's symbol of the pair. */
  readonly symbol: string;
}

/** The placement request's params, in the order they are sent (and signed). */
export function buildNewOrderParams(_order: NewOrderRequest): [string, string][] {
  throw ${ni(`the order placement request (src/${x}-order-requests.ts)`)};
}
`;

  files[`src/${x}-trading-rules.ts`] =
    `// The exchange's market list -> core TradingRule per pair. An unreadable entry
// is skipped and reported (symbol and reason), never dropped silently.
import { loadTradingRules, notImplemented, type TradingRule, type TradingRulesResult } from '@hb/core/connector';
import { ${XC}_EXCHANGE } from './${x}-constants.js';
import { asArray } from './${x}-utils.js';

/** One market entry -> its rule. */
export function parseTradingRule(_raw: unknown): TradingRule {
  throw ${ni(`trading rules (src/${x}-trading-rules.ts)`)};
}

/** The market list -> rules and skipped symbols. */
export function parseTradingRules(raw: unknown): TradingRulesResult {
  return loadTradingRules(asArray(raw, 'markets'), 'symbol', parseTradingRule);
}
`;

  files[`src/${x}-order-book.ts`] =
    `// Raw ${displayName} book frames -> core OrderBookMessages (snapshot / diff / trade).
import { notImplemented, type DiffMessage, type SnapshotMessage, type TradeMessage } from '@hb/core/connector';
import { ${XC}_EXCHANGE } from './${x}-constants.js';

/** A REST depth snapshot -> SnapshotMessage. */
export function parseSnapshot(_raw: unknown, _tradingPair: string): SnapshotMessage {
  throw ${ni(`book snapshots (src/${x}-order-book.ts)`)};
}

/** A depth update frame -> DiffMessage. */
export function parseDiff(_raw: unknown): DiffMessage {
  throw ${ni(`book diffs (src/${x}-order-book.ts)`)};
}

/** A public trade frame -> TradeMessage (side from the exchange's own field). */
export function parseTrade(_raw: unknown): TradeMessage {
  throw ${ni(`public trades (src/${x}-order-book.ts)`)};
}
`;

  files[`src/${x}-order-book-data-source.ts`] = `import { throwError, type Observable } from 'rxjs';
import {
  notImplemented,
  type DiffMessage,
  type OrderBookTrackerDataSource,
  type SnapshotMessage,
  type TradeMessage,
} from '@hb/core/connector';
import type { ${X}ApiClient } from './${x}-api-client.js';
import { ${XC}_EXCHANGE } from './${x}-constants.js';

/** The public data of ${displayName}: snapshots by REST, diffs and trades from the socket. */
export class ${X}OrderBookDataSource implements OrderBookTrackerDataSource {
  constructor(readonly api: ${X}ApiClient) {}

  async fetchTradingPairs(): Promise<string[]> {
    throw ${ni(`the pair list (src/${x}-order-book-data-source.ts)`)};
  }

  async getSnapshot(_tradingPair: string): Promise<SnapshotMessage> {
    throw ${ni(`book snapshots (src/${x}-order-book-data-source.ts)`)};
  }

  listenForDiffs(_tradingPairs: readonly string[]): Observable<DiffMessage> {
    return throwError(() => ${ni(`the diff stream (src/${x}-order-book-data-source.ts)`)});
  }

  listenForTrades(_tradingPairs: readonly string[]): Observable<TradeMessage> {
    return throwError(() => ${ni(`the trade stream (src/${x}-order-book-data-source.ts)`)});
  }
}
`;

  files[`src/${x}-order-book-tracker.ts`] =
    `import { OrderBookTracker, rangeSequenceRule } from '@hb/core/connector';
import type { ${X}OrderBookDataSource } from './${x}-order-book-data-source.js';

/** Core's tracker with ${displayName}'s sequence rule (check it against the exchange's notes). */
export class ${X}OrderBookTracker extends OrderBookTracker {
  constructor(dataSource: ${X}OrderBookDataSource, tradingPairs: readonly string[]) {
    super({ dataSource, tradingPairs, sequenceRule: rangeSequenceRule });
  }
}
`;

  files[`src/${x}-user-stream-data-source.ts`] = `import { throwError, type Observable } from 'rxjs';
import {
  notImplemented,
  type SocketTiming,
  type UserStreamEvent,
  type UserStreamTrackerDataSource,
} from '@hb/core/connector';
import type { ${X}Auth } from './${x}-auth.js';
import { ${XC}_EXCHANGE } from './${x}-constants.js';

/** A raw private event of ${displayName}, as parsed JSON. */
export type ${X}UserEvent = Readonly<Record<string, unknown>>;

/** How a {@link ${X}UserStreamDataSource} is built (timing defaults: \`${XC}_SOCKET_TIMING\`). */
export interface ${X}UserStreamDataSourceOptions extends SocketTiming {
  /** The private stream's URL. */
  readonly wsUrl: string;
  /** Signs the login; its keys cannot be printed. */
  readonly auth: ${X}Auth;
}

/**
 * The private stream of ${displayName}: log in with the keys, subscribe, emit
 * every event. Build \`listen()\` on core's \`runUserStreamSocket\` (the socket,
 * keep-alive with \`${XC}_SOCKET_TIMING\`, the \`disconnected\` marker, refused
 * frames, a typed failure): its \`onOpen\` returns the login and subscription,
 * its \`onObject\` emits \`connected\` (or \`reconnected\`) once the exchange
 * confirms them, then every event; a refused login ends the stream with a
 * non-retryable \`authentication\` error.
 */
export class ${X}UserStreamDataSource implements UserStreamTrackerDataSource<${X}UserEvent> {
  constructor(readonly options: ${X}UserStreamDataSourceOptions) {}

  listen(): Observable<UserStreamEvent<${X}UserEvent>> {
    return throwError(() => ${ni(`the user stream (src/${x}-user-stream-data-source.ts)`)});
  }
}
`;

  files[`src/${x}-user-stream-tracker.ts`] = `import { UserStreamTracker } from '@hb/core/connector';
import type { ${X}UserEvent, ${X}UserStreamDataSource } from './${x}-user-stream-data-source.js';

/** Core's user-stream tracker over ${displayName}'s private stream. */
export class ${X}UserStreamTracker extends UserStreamTracker<${X}UserEvent> {
  constructor(dataSource: ${X}UserStreamDataSource) {
    super({ dataSource });
  }
}
`;

  files[`src/${x}-market.ts`] = `import {
  credentialsFromFields,
  MarketBase,
  notImplemented,
  resolveEndpoints,
  withoutCredentials,
  type BalanceUpdate,
  type ConnectorCapabilities,
  type ConnectorMarketOptions,
  type CredentialFields,
  type InFlightOrder,
  type OpenOrder,
  type OrderUpdate,
  type PlaceOrderResult,
  type TradeUpdate,
  type TradingRulesResult,
  type UserStreamUpdate,
} from '@hb/core/connector';
import { ${X}ApiClient } from './${x}-api-client.js';
import { ${XC}_EXCHANGE, ${XC}_URLS, type ${X}Urls } from './${x}-constants.js';
import { ${X}OrderBookDataSource } from './${x}-order-book-data-source.js';
import { ${X}OrderBookTracker } from './${x}-order-book-tracker.js';
import { ${X}UserStreamDataSource, type ${X}UserEvent } from './${x}-user-stream-data-source.js';
import { ${X}UserStreamTracker } from './${x}-user-stream-tracker.js';
import { ${XC}_CLIENT_ORDER_IDS } from './${x}-utils.js';

/**
 * What the ${displayName} connector supports, as data: the conformance suite
 * skips only what this declares unsupported, and the README table is generated
 * from it. Make it true before the first release.
 */
export const ${XC}_CAPABILITIES: ConnectorCapabilities = {
  orderTypes: ['limit'],
  orderBook: 'l2',
  sequencedBook: true,
  userStream: true,
  cancelAll: 'emulated',
  lookupByClientOrderId: true,
  reportsFillFees: true,
};

/** How a {@link ${X}Market} is built: keys \`apiKey\` + \`apiSecret\`. */
export type ${X}MarketOptions = ConnectorMarketOptions;

/** ${displayName}. State, events and polling are core's \`MarketBase\`; the hooks talk to the exchange. */
export class ${X}Market extends MarketBase<${X}UserEvent> {
  readonly name = ${XC}_EXCHANGE;
  readonly capabilities = ${XC}_CAPABILITIES;
  /** The raw REST client. */
  readonly api: ${X}ApiClient;
  readonly urls: ${X}Urls;
  protected override readonly clientOrderIds = ${XC}_CLIENT_ORDER_IDS;

  /** The options without the keys: only the signer holds those (nothing here can print them). */
  private readonly ${camel}Options: Omit<${X}MarketOptions, keyof CredentialFields>;

  constructor(options: ${X}MarketOptions) {
    super(options);
    this.${camel}Options = withoutCredentials(options);
    this.urls = resolveEndpoints({ production: ${XC}_URLS }, options, (ws, base) => ({ ...base, ws }));
    this.api = new ${X}ApiClient({
      restUrl: this.urls.rest,
      credentials: credentialsFromFields(${XC}_EXCHANGE, options),
      timeoutMs: options.requestTimeoutMs,
    });
  }

  async fetchOpenOrders(_tradingPair?: string): Promise<OpenOrder[]> {
    throw ${ni(`fetchOpenOrders (src/${x}-market.ts)`)};
  }

  protected async fetchTradingRules(): Promise<TradingRulesResult> {
    throw ${ni(`fetchTradingRules (src/${x}-market.ts)`)};
  }

  protected async fetchBalances(): Promise<BalanceUpdate[]> {
    throw ${ni(`fetchBalances (src/${x}-market.ts)`)};
  }

  protected async sendOrder(_order: InFlightOrder): Promise<PlaceOrderResult> {
    throw ${ni(`sendOrder (src/${x}-market.ts)`)};
  }

  protected async sendCancel(_order: InFlightOrder): Promise<OrderUpdate | undefined> {
    throw ${ni(`sendCancel (src/${x}-market.ts)`)};
  }

  protected async fetchOrderStatus(_order: InFlightOrder): Promise<OrderUpdate> {
    throw ${ni(`fetchOrderStatus (src/${x}-market.ts)`)};
  }

  protected async fetchOrderTrades(_order: InFlightOrder): Promise<TradeUpdate[]> {
    throw ${ni(`fetchOrderTrades (src/${x}-market.ts)`)};
  }

  protected createOrderBookTracker(): ${X}OrderBookTracker {
    return new ${X}OrderBookTracker(new ${X}OrderBookDataSource(this.api), this.tradingPairs);
  }

  protected createUserStreamTracker(): ${X}UserStreamTracker | undefined {
    const auth = this.api.signer;
    if (auth === undefined) return undefined;
    const { reconnectMinDelayMs, reconnectMaxDelayMs } = this.${camel}Options;
    return new ${X}UserStreamTracker(
      new ${X}UserStreamDataSource({ wsUrl: this.urls.ws, auth, reconnectMinDelayMs, reconnectMaxDelayMs }),
    );
  }

  protected parseUserStreamEvent(_event: ${X}UserEvent): UserStreamUpdate[] {
    throw ${ni(`user-stream parsing (src/${x}-market.ts)`)};
  }
}
`;

  // ------------------------------------------------------------------ the simulator (src/testing)

  files['src/testing/index.ts'] =
    `// \`@hb/${x}/testing\`: the ${displayName} simulator (loopback REST and WebSocket in
// ${displayName}'s wire protocol), its sandbox for \`hb demo\`, and the conformance harness.
export { ${X}Simulator } from './${x}-simulator.js';
export * from './${x}-sim-types.js';
export { ${X}SimExchange, type ${X}SimMarketState } from './${x}-sim-exchange.js';
export {
  ${camel}ConformanceHarness,
  ${camel}TestMarketOptions,
  type ${X}ConformanceEnvironment,
  type ${X}ConformanceHarness,
  type ${X}ConformanceHarnessOptions,
} from './${x}-conformance-harness.js';
export { startSandbox, type ${X}Sandbox, type ${X}SandboxOptions } from './${x}-sandbox.js';
`;

  files[`src/testing/${x}-sim-types.ts`] =
    `// What the ${displayName} simulator is made of: its markets as the exchange lists
// them, its accounts and its start options (values from shared/exchanges/${x}.md).
import type { SimAccountInput, SimulatorCommonOptions } from '@hb/testing';

/** One market of the simulator, as the exchange lists it. */
export interface ${X}SimMarket {
  /** Hummingbot pair, \`BASE-QUOTE\`. */
  readonly pair: string;
  /** The exchange's own name of the market (its symbol form: fill in). */
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** Price grid. */
  readonly tickSize: string;
  /** Amount grid. */
  readonly stepSize: string;
  /** Smallest order amount. */
  readonly minSize: string;
  /** Where the synthetic traders quote around. */
  readonly midPrice: string;
}

/** An API account of the simulator (add what the exchange's signing needs, such as a passphrase). */
export type ${X}SimAccountInput = SimAccountInput;

/** Start options of the ${displayName} simulator. */
export interface ${X}SimulatorOptions extends SimulatorCommonOptions<${X}SimAccountInput> {
  /** The listed markets; default {@link DEFAULT_${XC}_SIM_MARKETS}. */
  readonly markets?: readonly ${X}SimMarket[];
}

/** The demo account (\`demoAccount: true\`): the keys \`hb demo\` uses, and its balances. */
export const ${XC}_DEMO_ACCOUNT: Required<Omit<${X}SimAccountInput, 'fees'>> = {
  apiKey: 'hb-demo-api-key',
  apiSecret: 'hb-demo-api-secret',
  balances: { BTC: '1', ETH: '10', USDT: '100000' },
};

/** The simulator's default markets (make their grids and minimums the exchange's). */
export const DEFAULT_${XC}_SIM_MARKETS: readonly ${X}SimMarket[] = [
  {
    pair: 'BTC-USDT',
    symbol: 'BTCUSDT',
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    tickSize: '0.01',
    stepSize: '0.00001',
    minSize: '0.001',
    midPrice: '30000',
  },
  {
    pair: 'ETH-USDT',
    symbol: 'ETHUSDT',
    baseAsset: 'ETH',
    quoteAsset: 'USDT',
    tickSize: '0.01',
    stepSize: '0.0001',
    minSize: '0.01',
    midPrice: '2000',
  },
  {
    pair: 'ETH-BTC',
    symbol: 'ETHBTC',
    baseAsset: 'ETH',
    quoteAsset: 'BTC',
    tickSize: '0.00001',
    stepSize: '0.0001',
    minSize: '0.01',
    midPrice: '0.06',
  },
];
`;

  files[`src/testing/${x}-sim-exchange.ts`] =
    `// The simulated ${displayName} exchange behind every endpoint: @hb/testing's
// SimExchangeBase (server clock, one balance ledger and fee schedule, a matching
// engine per market, the API accounts) plus ${displayName}'s order rules. The REST
// handler and the WebSocket channels are thin parsers in front of it.
import BigNumber from 'bignumber.js';
import { notImplemented } from '@hb/core/connector';
import { SimExchangeBase, type EngineOrder, type MatchingEngine, type SimClock } from '@hb/testing';
import { ${XC}_EXCHANGE } from '../${x}-constants.js';
import type { ${X}SimAccountInput, ${X}SimMarket } from './${x}-sim-types.js';

/** One market of the simulator with its engine. */
export interface ${X}SimMarketState {
  readonly market: ${X}SimMarket;
  readonly engine: MatchingEngine;
}

/** A registered API account (the ledger account name is the API key). */
interface ${X}SimAccount {
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** Options of {@link ${X}SimExchange}. */
export interface ${X}SimExchangeOptions {
  readonly markets: readonly ${X}SimMarket[];
  readonly clock: SimClock;
  readonly fees: { readonly maker: BigNumber.Value; readonly taker: BigNumber.Value };
  readonly seed: number;
}

/** The exchange state and ${displayName}'s order rules on top of the @hb/testing engines. */
export class ${X}SimExchange extends SimExchangeBase<${X}SimAccount> {
  readonly markets: readonly ${X}SimMarketState[];

  private readonly byName = new Map<string, ${X}SimMarketState>();

  constructor(options: ${X}SimExchangeOptions) {
    super('${X}Simulator', options);
    this.markets = options.markets.map((market, i) => {
      // The synthetic traders' orders are 1..n x 10 amount steps.
      const activityStepSize = new BigNumber(market.stepSize).times(10);
      const engine = this.listMarket(
        i,
        { ...market, id: market.symbol, activityStepSize },
        {
          amountStep: market.stepSize,
          // Distinct order-id ranges per market catch a connector keying orders by id alone.
          firstOrderNumber: (i + 1) * 1_000_000 + 1,
        },
      );
      const state = { market, engine };
      this.byName.set(market.symbol, state);
      this.byName.set(market.pair, state);
      return state;
    });
  }

  /** A market by exchange symbol or pair; undefined when unknown. */
  market(symbolOrPair: string): ${X}SimMarketState | undefined {
    return this.byName.get(symbolOrPair);
  }

  /** Registers an API account and funds it (a key registered twice is refused). */
  createAccount(input: ${X}SimAccountInput): { readonly apiKey: string } {
    const account = this.accounts.register(input, () => ({ apiKey: input.apiKey, apiSecret: input.apiSecret }));
    return { apiKey: account.apiKey };
  }

  /** The secret of an API key (for signature checks); undefined when unknown. */
  readonly secretFor = (apiKey: string): string | undefined => this.accounts.get(apiKey)?.apiSecret;

  /** True for a registered API account (as opposed to an internal trader). */
  isApiAccount(account: string): boolean {
    return this.accounts.has(account);
  }

  /**
   * Places an order after ${displayName}'s own checks (market status, grids,
   * minimums), with the engine's refusals turned into the exchange's errors.
   */
  placeOrder(_apiKey: string, _market: ${X}SimMarketState): EngineOrder {
    throw ${ni(`the simulated order rules (src/testing/${x}-sim-exchange.ts)`)};
  }
}
`;

  files[`src/testing/${x}-sim-rest.ts`] =
    `// The ${displayName} simulator's REST endpoints: a router of the exchange's paths
// in front of ${X}SimExchange, answering in the exchange's JSON and error shapes
// (shared/exchanges/${x}.md). An endpoint not written yet answers 501 with a body
// that names it, so a connector test says what is missing.
import { Router, type SimHttpRequest, type SimHttpResponse } from '@hb/testing';
import { ${XC}_EXCHANGE } from '../${x}-constants.js';
import type { ${X}SimExchange } from './${x}-sim-exchange.js';

/** The exchange's error body (make it the exchange's shape: the fields \`${x}-errors.ts\` reads). */
export function ${camel}SimErrorBody(status: number, message = \`HTTP \${status}\`): unknown {
  return { code: status, message };
}

/** The answer of an endpoint not simulated yet. */
function notSimulated(request: SimHttpRequest): SimHttpResponse {
  const what = \`\${request.method} \${request.path} (src/testing/${x}-sim-rest.ts)\`;
  return { status: 501, body: ${camel}SimErrorBody(501, \`\${${XC}_EXCHANGE} simulator: not implemented: \${what}\`) };
}

/** The REST handler: add one route per endpoint the connector calls, each reading \`exchange\`. */
export function create${X}RestHandler(_exchange: ${X}SimExchange): Router {
  return new Router().notFound(notSimulated);
}
`;

  files[`src/testing/${x}-simulator.ts`] =
    `// The ${displayName} simulator: ${displayName}'s wire protocol over @hb/testing's
// SimulatorBase, around one ${X}SimExchange. Lifecycle, accounts, truth accessors,
// activity, outages and REST faults come from the base; this file adds what
// depends on the exchange's framing: its WebSocket channels and their knobs.
import { notImplemented } from '@hb/core/connector';
import { SimulatorBase, type SimVenue, type WsConnection } from '@hb/testing';
import { ${XC}_EXCHANGE, ${XC}_PATHS } from '../${x}-constants.js';
import { ${X}SimExchange } from './${x}-sim-exchange.js';
import { create${X}RestHandler, ${camel}SimErrorBody } from './${x}-sim-rest.js';
import {
  DEFAULT_${XC}_SIM_MARKETS,
  ${XC}_DEMO_ACCOUNT,
  type ${X}SimAccountInput,
  type ${X}SimulatorOptions,
} from './${x}-sim-types.js';

/**
 * A loopback ${displayName} exchange. Start with {@link ${X}Simulator.start}, point
 * a connector at \`restUrl\` / \`wsUrl\` (\`simulatorMarketOptions(sim)\`), \`stop()\` when done.
 */
export class ${X}Simulator extends SimulatorBase<${X}SimAccountInput> {
  /** The exchange state (engines, ledger, accounts). */
  readonly exchange: ${X}SimExchange;
  protected readonly venue: SimVenue;

  private refusingMarketStreams = false;
  private refusingUserStreams = false;

  private constructor(options: ${X}SimulatorOptions) {
    super({
      name: '${X}Simulator',
      clock: options.clock,
      errorBody: (status) => ${camel}SimErrorBody(status),
      // The header that carries the API key (lower case), for the request log.
      apiKeyHeader: 'x-api-key',
      orderPaths: { place: ${XC}_PATHS.order, cancel: ${XC}_PATHS.order },
    });
    this.exchange = new ${X}SimExchange({
      markets: options.markets ?? DEFAULT_${XC}_SIM_MARKETS,
      clock: this.clock,
      fees: options.fees ?? { maker: '0.001', taker: '0.001' },
      seed: options.seed ?? 1,
    });
    this.venue = this.exchange.venue();
  }

  /** Starts the servers on 127.0.0.1; resolves once both listen. */
  static async start(options: ${X}SimulatorOptions = {}): Promise<${X}Simulator> {
    const sim = new ${X}Simulator(options);
    await sim.listen(create${X}RestHandler(sim.exchange), (connection) => sim.accept(connection));
    sim.createStartAccounts(options, ${XC}_DEMO_ACCOUNT);
    return sim;
  }

  /** Registers an API account and funds it in the ledger. */
  createAccount(input: ${X}SimAccountInput): { readonly apiKey: string } {
    return this.exchange.createAccount(input);
  }

  /** Open market-data connections (one per socket). */
  marketConnections(): WsConnection[] {
    throw ${ni(`the simulated market channels (src/testing/${x}-simulator.ts)`)};
  }

  /** The live user-stream subscriptions (a refused login must leave none). */
  userStreamSubscriptions(): number {
    throw ${ni(`the simulated user channel (src/testing/${x}-simulator.ts)`)};
  }

  /** Sends every pending market and user frame now. */
  flush(): void {
    throw ${ni(`batched simulator frames (src/testing/${x}-simulator.ts)`)};
  }

  /** Drops the market-data sockets now (only those carrying \`pairOrSymbol\` when given). */
  dropMarketSockets(_pairOrSymbol?: string): void {
    throw ${ni(`dropping simulated market sockets (src/testing/${x}-simulator.ts)`)};
  }

  /** Drops the sockets that carry a user stream now. */
  dropUserSockets(): void {
    throw ${ni(`dropping simulated user-stream sockets (src/testing/${x}-simulator.ts)`)};
  }

  protected refuseUserStreams(on: boolean): void {
    this.refusingUserStreams = on;
  }

  protected refuseMarketStreams(on: boolean): void {
    this.refusingMarketStreams = on;
  }

  /**
   * A new WebSocket. The exchange's channels (market data, the private stream)
   * are not simulated yet: the socket is closed with a reason that says so.
   * During an outage it is dropped at once, as an unreachable exchange would.
   */
  private accept(connection: WsConnection): void {
    if (this.refusingMarketStreams || this.refusingUserStreams) {
      connection.terminate();
      return;
    }
    connection.close(1011, \`\${${XC}_EXCHANGE} simulator: not implemented: WebSocket channels\`);
  }
}
`;

  files[`src/testing/${x}-sandbox.ts`] =
    `// The sandbox the \`hb\` CLI starts for \`--sandbox\` and \`hb demo\`: a ${X}Simulator
// on loopback with seeded activity and a funded account. Lives under \`testing\` so
// the package's main entry never loads @hb/testing.
import type { SandboxOptions, StartSandbox } from '@hb/core/connector';
import { sandboxOf, type SimulatorSandbox } from '@hb/testing';
import { ${X}Simulator } from './${x}-simulator.js';
import { ${XC}_DEMO_ACCOUNT } from './${x}-sim-types.js';

/** Options of {@link startSandbox}. */
export interface ${X}SandboxOptions extends SandboxOptions {
  /** Activity steps run before anyone connects, so the first snapshot has depth. Default 300. */
  readonly warmupSteps?: number;
}

/** A running ${displayName} sandbox: core's \`Sandbox\` plus the funded keys and the simulator itself. */
export type ${X}Sandbox = SimulatorSandbox<${X}Simulator, { readonly apiKey: string; readonly apiSecret: string }>;

/**
 * Starts a ${displayName} simulator for the CLI: the demo account, or, when
 * \`credentials\` carry a key and secret, an account with those keys and the demo
 * balances. The book is warmed up with seeded activity.
 */
export const startSandbox: StartSandbox & ((options?: ${X}SandboxOptions) => Promise<${X}Sandbox>) = async (
  options: ${X}SandboxOptions = {},
): Promise<${X}Sandbox> => {
  const seed = options.seed ?? 1;
  const simulator = await ${X}Simulator.start({ demoAccount: true, seed });
  const given = options.credentials;
  let credentials = { apiKey: ${XC}_DEMO_ACCOUNT.apiKey, apiSecret: ${XC}_DEMO_ACCOUNT.apiSecret };
  if (given?.apiKey !== undefined && given.apiSecret !== undefined) {
    credentials = { apiKey: given.apiKey, apiSecret: given.apiSecret };
    // The demo account already holds the demo key; any other key gets its own funded account.
    if (given.apiKey !== ${XC}_DEMO_ACCOUNT.apiKey) {
      simulator.createAccount({ ...credentials, balances: ${XC}_DEMO_ACCOUNT.balances });
    }
  }
  return sandboxOf(simulator, credentials, { seed, warmupSteps: options.warmupSteps });
};
`;

  files[`src/testing/${x}-conformance-harness.ts`] =
    `// The conformance harness of the ${displayName} connector: @hb/testing's generic
// simulator harness with a ${X}Simulator, ${X}Markets on its demo account
// (\`simulatorMarketOptions\`: its URLs and keys, fast test timings), and the
// market-data faults in ${displayName}'s framing. Only Jest-free parts of
// @hb/testing are used, so this file loads outside Jest.
import { notImplemented } from '@hb/core/connector';
import {
  simulatorConformanceHarness,
  simulatorMarketOptions,
  type SimulatorConformanceEnvironment,
  type SimulatorConformanceHarness,
  type SimulatorHarnessOptions,
} from '@hb/testing';
import { ${XC}_EXCHANGE } from '../${x}-constants.js';
import { ${XC}_CAPABILITIES, ${X}Market, type ${X}MarketOptions } from '../${x}-market.js';
import { ${X}Simulator } from './${x}-simulator.js';
import type { ${X}SimulatorOptions } from './${x}-sim-types.js';

/** Options of {@link ${camel}ConformanceHarness}. */
export type ${X}ConformanceHarnessOptions = SimulatorHarnessOptions<
  Omit<${X}SimulatorOptions, 'demoAccount'>,
  ${X}MarketOptions,
  ${X}Market
>;

/** An environment that also exposes the simulator (its \`market\` has the ${displayName} type). */
export type ${X}ConformanceEnvironment = SimulatorConformanceEnvironment<
  ${X}Simulator,
  ${X}MarketOptions,
  ${X}Market
>;

/** The suite's harness, whose environments also expose the simulator. */
export type ${X}ConformanceHarness = SimulatorConformanceHarness<${X}Simulator, ${X}MarketOptions, ${X}Market>;

/** Options of a ${X}Market on the simulator's demo account (BTC-USDT), with fast test timings. */
export function ${camel}TestMarketOptions(
  sim: ${X}Simulator,
  overrides: Partial<${X}MarketOptions> = {},
): ${X}MarketOptions {
  return { tradingPairs: ['BTC-USDT'], ...simulatorMarketOptions(sim), ...overrides };
}

/** A market-data fault not written yet: the check that uses it says so. */
function faultNotImplemented(name: string): () => Promise<void> {
  return () =>
    Promise.reject(notImplemented(${XC}_EXCHANGE, \`simulator fault \${name} (src/testing/${x}-conformance-harness.ts)\`));
}

/**
 * The conformance harness of the ${displayName} connector:
 *
 *   defineConformanceSuite(${camel}ConformanceHarness());
 */
export function ${camel}ConformanceHarness(options: ${X}ConformanceHarnessOptions = {}): ${X}ConformanceHarness {
  return simulatorConformanceHarness<${X}Simulator, ${X}MarketOptions, ${X}Market>(
    {
      name: '${x}',
      tradingPair: 'BTC-USDT',
      capabilities: ${XC}_CAPABILITIES,
      startSimulator: (seed) => ${X}Simulator.start({ seed, ...(options.simulator ?? {}), demoAccount: true }),
      marketOptions: (sim, tradingPair) => ${camel}TestMarketOptions(sim, { tradingPairs: [tradingPair] }),
      createMarket: (o) => new ${X}Market(o),
      // Each sequence fault must hit the marker's book update (\`marker.place()\`), so
      // that a connector without the check fails it (see binance's harness).
      marketFaults: () => ({
        skipSequence: faultNotImplemented('skipSequence'),
        repeatSequence: faultNotImplemented('repeatSequence'),
        reorderSequence: faultNotImplemented('reorderSequence'),
        malformedMarketFrame: faultNotImplemented('malformedMarketFrame'),
      }),
      // hostileFrames: ({ sim, tradingPair, apiKey }) => @hb/testing's simulatorHostileFrames(...)
      // in ${displayName}'s wire format; until then those checks fail as not implemented.
    },
    options,
  );
}
`;

  files['test/fixtures/README.md'] = `# Fixtures

One file per recorded payload, named \`http_get_<endpoint>.json\`, \`http_error_<case>.json\`
or \`ws_<channel>_<case>.json\`, with the whole envelope as the exchange sends it. The
workspace test (\`tools/test/workspace.spec.ts\`) wants at least one, each listed here
with the documentation example it reproduces.

| file | source (the documentation example it reproduces) |
| --- | --- |
`;

  // ------------------------------------------------------------------ integration specs

  files['integration/helpers/sim-env.ts'] =
    `// ${displayName} set-up of the integration tests: a simulator with the demo account,
// markets pointed at it, and how the book tracker runs on it for the shared
// tracker and live-status suites. The exchange-independent helpers come from @hb/testing.
import { notImplemented } from '@hb/core/connector';
import type { BookTrackerAdapter } from '@hb/testing/suites';
import { ${XC}_EXCHANGE } from '../../src/${x}-constants.js';
import type { ${X}OrderBookTracker } from '../../src/${x}-order-book-tracker.js';
import { ${X}Simulator, type ${X}SimulatorOptions } from '../../src/testing/index.js';

/** A simulator with the demo account (the caller stops it). */
export const simulator = (options: ${X}SimulatorOptions = {}): Promise<${X}Simulator> =>
  ${X}Simulator.start({ demoAccount: true, ...options });

/**
 * How ${displayName}'s book tracker runs on the simulator, for the shared tracker
 * and live-status suites: the REST client on \`sim.restUrl\`, the market socket on
 * \`sim.wsUrl\` (with \`options.socket\`'s timings), the data source over both, and
 * the tracker with \`options.silenceTimeoutMs\`.
 */
export const ${camel}BookTrackers: BookTrackerAdapter<${X}Simulator, ${X}OrderBookTracker> = {
  name: '${x}',
  startSimulator: (seed) => simulator({ seed }),
  warmupSteps: 60,
  createTracker: () =>
    Promise.reject(
      notImplemented(${XC}_EXCHANGE, 'the book tracker on the simulator (integration/helpers/sim-env.ts)'),
    ),
  marketConnections: (sim) => sim.marketConnections(),
  bookStream: () => {
    throw notImplemented(
      ${XC}_EXCHANGE,
      "a pair's book stream name in the simulator's fault injector (integration/helpers/sim-env.ts)",
    );
  },
};
`;

  files['integration/conformance.spec.ts'] =
    `// The @hb/testing conformance suite against the ${displayName} connector and its
// simulator: every generic market scenario (unknown outcomes, 429, clock skew,
// funds, rules, a wrong key, fills exactly once, restarts, sequence faults).
import { defineConformanceSuite } from '@hb/testing/conformance';
import { ${camel}ConformanceHarness } from '../src/testing/${x}-conformance-harness.js';

defineConformanceSuite(${camel}ConformanceHarness(), { timeoutMs: 30_000 });
`;

  files['integration/market.spec.ts'] =
    `// Seed requirement "market test" (the shared market suite): ${X}Market against the
// ${displayName} simulator on 127.0.0.1. The numbers are the simulator's defaults
// (src/testing/${x}-sim-types.ts): make them, and the fee and post-only refusal,
// the exchange's.
import { describeMarketSuite } from '@hb/testing/suites';
import { ${X}Market } from '../src/${x}-market.js';
import { ${camel}TestMarketOptions } from '../src/testing/index.js';
import { simulator } from './helpers/sim-env.js';

describeMarketSuite({
  name: '${x}',
  pair: 'BTC-USDT',
  startSimulator: (seed) => simulator({ seed }),
  createMarket: (sim, overrides) => new ${X}Market(${camel}TestMarketOptions(sim, overrides)),
  rulesSource: 'the market list',
  rules: {
    'BTC-USDT': { minSize: '0.001', step: '0.00001', tick: '0.01' },
    'ETH-BTC': { minSize: '0.01', step: '0.0001', tick: '0.00001' },
  },
  balances: { BTC: '1', ETH: '10', USDT: '100000' },
  // The asset a fill's fee is charged in (here: the asset received).
  feeAsset: (side) => (side === 'buy' ? 'BTC' : 'USDT'),
  crossingPostOnly: { message: /post.?only/i },
  quantize: [
    ['BTC-USDT', 'amount', '0.123456789', '0.12345'],
    ['BTC-USDT', 'price', '30000.123', '30000.12'],
    ['ETH-BTC', 'price', '0.0612345', '0.06123'],
  ],
});
`;

  files['integration/order-book-tracker.spec.ts'] =
    `// Seed requirement "order book tracker test" (the shared suite): ${X}OrderBookTracker
// over the ${displayName} data source and one shared market socket, against the
// simulator's true books: several pairs, a dropped socket, sequence faults, a
// malformed frame, and the taker side of public trades.
import { notImplemented } from '@hb/core/connector';
import { describeOrderBookTrackerSuite } from '@hb/testing/suites';
import { ${XC}_EXCHANGE } from '../src/${x}-constants.js';
import { ${camel}BookTrackers } from './helpers/sim-env.js';

describeOrderBookTrackerSuite({
  ...${camel}BookTrackers,
  pairs: ['BTC-USDT', 'ETH-USDT', 'ETH-BTC'],
  reconnectReason: 'market stream reconnected',
  // 2 where each book message is a level's new amount; 1 where one order makes two messages.
  ordersPerReorder: 2,
  checkSubscriptions() {
    throw notImplemented(
      ${XC}_EXCHANGE,
      "the simulator's record of the book subscriptions (integration/order-book-tracker.spec.ts)",
    );
  },
  takerSideSource: "${displayName}'s trade side field (fill in its name)",
});
`;

  files['integration/user-stream-tracker.spec.ts'] =
    `// Seed requirement "user stream tracker test": ${X}UserStreamTracker over
// ${X}UserStreamDataSource against the simulator: it connects and says so, a
// dropped socket comes back with a \`reconnected\` marker, and refused keys end the
// stream with a typed authentication error that shows no secret. Add the events
// of our orders and balances as the exchange sends them.
import { describe, expect, it } from '@jest/globals';
import { credentialsFromFields, type UserStreamEvent } from '@hb/core/connector';
import { waitFor } from '@hb/testing';
import { expectRefusedUserStream, useSimulator } from '@hb/testing/suites';
import { ${X}ApiClient } from '../src/${x}-api-client.js';
import { ${XC}_EXCHANGE } from '../src/${x}-constants.js';
import { ${X}UserStreamDataSource, type ${X}UserEvent } from '../src/${x}-user-stream-data-source.js';
import { ${X}UserStreamTracker } from '../src/${x}-user-stream-tracker.js';
import { simulator } from './helpers/sim-env.js';

describe('user stream tracker test (seed requirement)', () => {
  const t = useSimulator(() => simulator({ seed: 9 }), { seed: 4, steps: 80, pairs: ['BTC-USDT'] });

  function dataSource(apiSecret?: string): ${X}UserStreamDataSource {
    const account = t.sim.demoAccount!;
    const api = new ${X}ApiClient({
      restUrl: t.sim.restUrl,
      credentials: credentialsFromFields(${XC}_EXCHANGE, {
        apiKey: account.apiKey,
        apiSecret: apiSecret ?? account.apiSecret,
      }),
    });
    const auth = api.signer;
    if (auth === undefined) throw new Error('the client has no keys');
    return new ${X}UserStreamDataSource({
      wsUrl: t.sim.wsUrl,
      auth,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
    });
  }

  /** A started tracker recording its events; its own failure (a stub's "not implemented") fails the test. */
  async function startTracker(): Promise<UserStreamEvent<${X}UserEvent>[]> {
    const tracker = new ${X}UserStreamTracker(dataSource());
    const events: UserStreamEvent<${X}UserEvent>[] = [];
    const sub = tracker.events$.subscribe((e) => events.push(e));
    t.cleanup.add(() => tracker.stop());
    t.cleanup.add(() => sub.unsubscribe());
    tracker.start();
    await waitFor('connected', () => {
      const error = tracker.status.error;
      if (error !== undefined) throw error;
      return events.some((e) => e.kind === 'connected');
    });
    return events;
  }

  it('connects, and says so before any event', async () => {
    const events = await startTracker();
    expect(events[0]?.kind).toBe('connected');
  });

  it('a dropped socket is reconnected, with a reconnected marker', async () => {
    const events = await startTracker();
    t.sim.dropUserSockets();
    await waitFor('the marker', () => events.some((e) => e.kind === 'reconnected'));
  });

  it('a bad API secret ends the stream with an authentication error that does not contain the secret', async () => {
    const badSecret = 'not-the-demo-secret-0123456789abcdef';
    await expectRefusedUserStream({
      listen: () => dataSource(badSecret).listen(),
      subscriptions: () => t.sim.userStreamSubscriptions(),
      secrets: [badSecret],
      cleanup: t.cleanup,
    });
  });
});
`;

  files['integration/live-status.spec.ts'] =
    `// Truth at the edges (the shared live-status suite): every ${displayName} book says
// whether it is live: a closed socket, a silent one, and a book stream that stops
// while the socket still answers pings. Add the exchange's own cases (a refused
// subscription) in the suite's \`extra\` callback.
import { describeLiveStatusSuite } from '@hb/testing/suites';
import { ${camel}BookTrackers } from './helpers/sim-env.js';

describeLiveStatusSuite({ ...${camel}BookTrackers, pair: 'BTC-USDT' });
`;

  files['integration/secrets.spec.ts'] =
    `// Secrets cannot be printed (the shared suite): every public object of the
// connector, built with a known secret, is inspected, stringified and logged.
import { credentialsFromFields } from '@hb/core/connector';
import { describeSecretsSuite } from '@hb/testing/suites';
import { ${X}ApiClient } from '../src/${x}-api-client.js';
import { ${X}Auth } from '../src/${x}-auth.js';
import { ${XC}_EXCHANGE } from '../src/${x}-constants.js';
import { ${X}Market } from '../src/${x}-market.js';
import { ${X}OrderBookDataSource } from '../src/${x}-order-book-data-source.js';
import { ${X}UserStreamDataSource } from '../src/${x}-user-stream-data-source.js';
import { ${X}UserStreamTracker } from '../src/${x}-user-stream-tracker.js';
import { ${X}Simulator, ${camel}TestMarketOptions } from '../src/testing/index.js';

describeSecretsSuite({
  name: '${x}',
  keys: { apiSecret: 'Zk9hostileSECRETvalue0123456789abcdefXYZ' },
  startSimulator: (keys) => ${X}Simulator.start({ demoAccount: keys }),
  createMarket: (sim, keys) => new ${X}Market(${camel}TestMarketOptions(sim, keys)),
  connectorObjects({ sim, market, credentials }) {
    const auth = new ${X}Auth(credentials, Date.now);
    const userSource = new ${X}UserStreamDataSource({ wsUrl: sim.wsUrl, auth });
    return {
      api: market.api,
      signer: market.api.signer,
      standaloneAuth: auth,
      userStreamDataSource: userSource,
      userStreamTracker: new ${X}UserStreamTracker(userSource),
      bookDataSource: new ${X}OrderBookDataSource(market.api),
    };
  },
  malformedCredentials: {
    emptySecret: (sim) =>
      new ${X}ApiClient({
        restUrl: sim.restUrl,
        credentials: credentialsFromFields(${XC}_EXCHANGE, { apiKey: 'k', apiSecret: '' }),
      }),
  },
});
`;

  files['integration/bot-api.spec.ts'] =
    `// The bot author's API on ${X}Market against the simulator on 127.0.0.1 (the
// shared bot-API suite): awaitable orders and their typed refusals, rounding, the
// async iterators, and the REST market data.
import { describeBotApiSuite } from '@hb/testing/suites';
import { ${X}Market } from '../src/${x}-market.js';
import { ${X}Simulator, ${camel}TestMarketOptions } from '../src/testing/index.js';

describeBotApiSuite({
  name: '${x}',
  pair: 'BTC-USDT',
  startSimulator: (seed) => ${X}Simulator.start({ demoAccount: true, seed }),
  createMarket: (sim) => new ${X}Market(${camel}TestMarketOptions(sim)),
  // The form of ${displayName}'s order ids (make it the exchange's).
  exchangeOrderId: /^\\S+$/,
});
`;

  files['integration/live.spec.ts'] =
    `// The connector against the real ${displayName} (or its sandbox), through the shared
// live suite. Opt-in: it runs only with HB_LIVE=1 and keys in HB_${XC}_API_KEY /
// HB_${XC}_API_SECRET; otherwise it registers one skipped test naming what is missing.
import { expect } from '@jest/globals';
import { describeLiveSuite } from '@hb/testing/suites';
import { ${XC}_URLS } from '../src/${x}-constants.js';
import { ${X}Market } from '../src/${x}-market.js';

describeLiveSuite({
  exchange: '${x}',
  venue: '${displayName}',
  fields: ['apiKey', 'apiSecret'],
  pair: 'BTC-USDT',
  createMarket: (keys, tradingPairs) => new ${X}Market({ tradingPairs, ...keys }),
  checkHosts(market) {
    expect(market.urls.rest).toBe(${XC}_URLS.rest);
  },
  book: 'book',
  // 20 % under the best bid: it rests and never fills (check the exchange's price band).
  priceFactor: 0.8,
});
`;

  return files;
}

module.exports = { connectorFiles, CONNECTOR_TREE };
