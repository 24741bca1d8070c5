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
  'src/testing/{x}-simulator.ts',
  'src/testing/{x}-conformance-harness.ts',
  'test/fixtures/README.md',
  'integration/market.spec.ts',
  'integration/order-book-tracker.spec.ts',
  'integration/user-stream-tracker.spec.ts',
  'integration/live.spec.ts',
];

function connectorFiles({ name: x, className: X, constName: XC, displayName }) {
  const ni = (what) => `notImplemented(${XC}_EXCHANGE, '${what}')`;
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

The packages are not on the npm registry yet. Install from the repository:

\`\`\`sh
# in a clone of the repository
npm ci && npx nx run-many -t build -p core ${x}
npm pack ./packages/core ./packages/${x}        # hb-core-0.1.0.tgz, hb-${x}-0.1.0.tgz
# in your project
npm install /path/to/hb-core-0.1.0.tgz /path/to/hb-${x}-0.1.0.tgz
\`\`\`

or, inside an npm workspace that contains the repository, depend on \`"@hb/${x}": "*"\`.

## Keys

\`HB_${XC}_API_KEY\` and \`HB_${XC}_API_SECRET\` (environment, as the \`hb\` CLI reads them). Never on the command line.

## Example

\`\`\`ts
import { connector } from '@hb/${x}';

// Public data needs no keys; pass \`credentials\` for orders and balances.
const market = connector.createMarket({ tradingPairs: ['BTC-USDT'] });
await market.start();
await market.waitUntilReady(30_000);
console.log(market.getOrderBook('BTC-USDT').bestBid);
await market.stop(); // the process exits
\`\`\`

## Capabilities

<!-- capabilities:start (generated from the connector's capabilities; npm run readme:capabilities) -->
<!-- capabilities:end -->

## Quirks

None recorded yet: list here what differs from the other connectors.
`;
  files['CHANGELOG.md'] = `# Changelog

## 0.1.0 (unreleased)

- Generated with \`npx nx g @hb/tools:connector ${x}\`.
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
import type { RateLimitRule } from '@hb/core/connector';

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
import { notImplemented, type UserStreamEvent, type UserStreamTrackerDataSource } from '@hb/core/connector';
import type { ${X}Auth } from './${x}-auth.js';
import { ${XC}_EXCHANGE } from './${x}-constants.js';

/** A raw private event of ${displayName}, as parsed JSON. */
export type ${X}UserEvent = Readonly<Record<string, unknown>>;

/** The private stream of ${displayName}: subscribe with the keys, emit every event. */
export class ${X}UserStreamDataSource implements UserStreamTrackerDataSource<${X}UserEvent> {
  constructor(readonly auth: ${X}Auth) {}

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
  type BalanceUpdate,
  type ConnectorCapabilities,
  type ConnectorMarketOptions,
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

  constructor(options: ${X}MarketOptions) {
    super(options);
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
    return auth === undefined ? undefined : new ${X}UserStreamTracker(new ${X}UserStreamDataSource(auth));
  }

  protected parseUserStreamEvent(_event: ${X}UserEvent): UserStreamUpdate[] {
    throw ${ni(`user-stream parsing (src/${x}-market.ts)`)};
  }
}
`;

  files['src/testing/index.ts'] =
    `// @hb/${x}/testing: the ${displayName} simulator and the conformance harness.
export { ${X}Simulator, type ${X}SimulatorOptions } from './${x}-simulator.js';
export { ${x.replace(/-([a-z0-9])/g, (_m, c) => c.toUpperCase())}ConformanceHarness } from './${x}-conformance-harness.js';
`;

  files[`src/testing/${x}-simulator.ts`] =
    `// The ${displayName} simulator, on @hb/testing's SimulatorBase: the exchange's
// REST paths, frames, error shapes and limits as shared/exchanges/${x}.md writes
// them, over the shared matching engine and balance ledger.
import { notImplemented } from '@hb/core/connector';
import {
  BalanceLedger,
  SimulatorBase,
  type SimAccountInput,
  type SimulatorCommonOptions,
  type SimVenue,
} from '@hb/testing';
import { ${XC}_EXCHANGE, ${XC}_PATHS } from '../${x}-constants.js';

/** Start options of the ${displayName} simulator. */
export type ${X}SimulatorOptions = SimulatorCommonOptions<SimAccountInput>;

/** A loopback ${displayName} exchange. */
export class ${X}Simulator extends SimulatorBase {
  protected readonly venue: SimVenue = {
    ledger: new BalanceLedger(),
    markets: [],
    orderByClientId: () => undefined,
  };

  protected constructor() {
    super({
      name: '${X}Simulator',
      errorBody: (status) => ({ code: status, message: \`HTTP \${status}\` }),
      apiKeyHeader: 'x-api-key',
      orderPaths: { place: ${XC}_PATHS.order, cancel: ${XC}_PATHS.order },
    });
  }

  /** Starts the simulator on 127.0.0.1. */
  static async start(_options: ${X}SimulatorOptions = {}): Promise<${X}Simulator> {
    throw ${ni(`the simulator (src/testing/${x}-simulator.ts)`)};
  }

  createAccount(_input: SimAccountInput): unknown {
    throw ${ni(`simulator accounts (src/testing/${x}-simulator.ts)`)};
  }

  flush(): void {
    throw ${ni(`simulator frames (src/testing/${x}-simulator.ts)`)};
  }

  dropMarketSockets(_pairOrId?: string): void {
    throw ${ni(`simulator market sockets (src/testing/${x}-simulator.ts)`)};
  }

  dropUserSockets(): unknown {
    throw ${ni(`simulator user sockets (src/testing/${x}-simulator.ts)`)};
  }

  protected refuseUserStreams(_on: boolean): void {
    throw ${ni(`simulator user-stream outages (src/testing/${x}-simulator.ts)`)};
  }

  protected refuseMarketStreams(_on: boolean): void {
    throw ${ni(`simulator market-stream outages (src/testing/${x}-simulator.ts)`)};
  }
}
`;

  const harnessFn = `${x.replace(/-([a-z0-9])/g, (_m, c) => c.toUpperCase())}ConformanceHarness`;
  files[`src/testing/${x}-conformance-harness.ts`] =
    `// The conformance harness of the ${displayName} connector: @hb/testing's
// generic simulator harness with the ${displayName} simulator and market, and the
// market-data faults in ${displayName}'s framing.
import { notImplemented } from '@hb/core/connector';
import {
  FAST_TEST_MARKET_OPTIONS,
  simulatorConformanceHarness,
  type SimulatorConformanceHarness,
} from '@hb/testing';
import { ${XC}_EXCHANGE } from '../${x}-constants.js';
import { ${XC}_CAPABILITIES, ${X}Market, type ${X}MarketOptions } from '../${x}-market.js';
import { ${X}Simulator } from './${x}-simulator.js';

/** \`defineConformanceSuite(${harnessFn}())\`. */
export function ${harnessFn}(): SimulatorConformanceHarness<${X}Simulator, ${X}MarketOptions, ${X}Market> {
  const fault = (what: string) => () => {
    throw notImplemented(${XC}_EXCHANGE, \`simulator fault \${what} (src/testing/${x}-conformance-harness.ts)\`);
  };
  return simulatorConformanceHarness({
    name: '${x}',
    tradingPair: 'BTC-USDT',
    capabilities: ${XC}_CAPABILITIES,
    startSimulator: (seed) => ${X}Simulator.start({ seed, demoAccount: true }),
    marketOptions: (sim, tradingPair) => ({
      tradingPairs: [tradingPair],
      apiKey: sim.demoAccount?.apiKey,
      apiSecret: sim.demoAccount?.apiSecret,
      restUrl: sim.restUrl,
      wsUrl: sim.wsUrl,
      ...FAST_TEST_MARKET_OPTIONS,
    }),
    createMarket: (options) => new ${X}Market(options),
    marketFaults: () => ({
      skipSequence: fault('skipSequence'),
      repeatSequence: fault('repeatSequence'),
      reorderSequence: fault('reorderSequence'),
      malformedMarketFrame: fault('malformedMarketFrame'),
    }),
  });
}
`;

  files['test/fixtures/README.md'] = `# Fixtures

One file per recorded payload, named \`http_get_<endpoint>.json\`, \`http_error_<case>.json\`
or \`ws_<channel>_<case>.json\`, with the whole envelope as the exchange sends it.

| file | source (the documentation example it reproduces) |
| --- | --- |
`;

  const seedSpec = (
    what,
    group,
  ) => `// Seed requirement "${what}": the ${displayName} connector against its simulator
// on 127.0.0.1, through the shared conformance suite (${group} checks). Add the
// exchange's own cases below the suite.
import { defineConformanceSuite } from '@hb/testing/conformance';
import { ${harnessFn} } from '../src/testing/${x}-conformance-harness.js';

defineConformanceSuite(${harnessFn}(), { groups: ['${group}'] });
`;
  files['integration/market.spec.ts'] = seedSpec('market test', 'orders');
  files['integration/order-book-tracker.spec.ts'] = seedSpec('order book tracker test', 'book');
  files['integration/user-stream-tracker.spec.ts'] = seedSpec('user stream tracker test', 'user stream');

  files['integration/live.spec.ts'] =
    `// The connector against the real ${displayName} (or its sandbox). Opt-in: it runs
// only with HB_LIVE=1 and keys in HB_${XC}_API_KEY / HB_${XC}_API_SECRET; otherwise it
// registers one skipped test that names what is missing. The keys never appear in a
// title or message.
import { liveCredentials } from '@hb/testing';
import { ${X}Market } from '../src/${x}-market.js';

const { credentials, missing } = liveCredentials('${x}', ['apiKey', 'apiSecret']);

if (missing.length > 0) {
  it.skip(\`live ${displayName} suite skipped: set \${missing.join(', ')}\`, () => undefined);
} else {
  describe('live ${displayName}', () => {
    it('starts with the keys and becomes ready', async () => {
      const market = new ${X}Market({ tradingPairs: ['BTC-USDT'], ...credentials });
      try {
        await market.start();
        await market.waitUntilReady(60_000);
      } finally {
        await market.stop();
      }
    }, 90_000);
  });
}
`;

  return files;
}

module.exports = { connectorFiles, CONNECTOR_TREE };
