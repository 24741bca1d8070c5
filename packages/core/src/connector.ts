import type { ConnectorCapabilities } from './market/capabilities.js';
import type { Market } from './market/market.js';

/** Credentials a connector needs; which fields are required is the connector's business. */
export interface ConnectorCredentials {
  readonly apiKey?: string;
  readonly apiSecret?: string;
  readonly passphrase?: string;
  /** Hex private key for DEX connectors. */
  readonly privateKey?: string;
  /**
   * JSON-RPC URL of an Ethereum node for on-chain venues. A credential because
   * hosted node URLs usually embed a project key; `EndpointOverrides.rpcUrl`
   * wins when both are set.
   */
  readonly rpcUrl?: string;
}

/** Endpoint overrides for testnets and simulators: scheme, host and port; the connector appends its paths. */
export interface EndpointOverrides {
  readonly restUrl?: string;
  readonly wsUrl?: string;
  /** JSON-RPC URL of the Ethereum node (on-chain venues: a testnet node, a local chain). */
  readonly rpcUrl?: string;
  /** Chain id the venue's contracts live on (1 mainnet, 31337 a local Hardhat chain); checked against the node's. */
  readonly chainId?: number;
}

/**
 * What every connector package exports as `connector` from its index, so tools
 * such as the `hb` CLI can discover and drive any installed connector the same way.
 */
export interface ConnectorDescriptor<TMarket extends Market = Market> {
  /** The exchange's name as used on the command line and in env var names (`binance`, `coinbase-pro`). */
  readonly name: string;
  /** Human-readable name. */
  readonly displayName: string;
  /** The package version. */
  readonly version: string;
  /** What the connector supports. */
  readonly capabilities: ConnectorCapabilities;
  /** Which credential fields the connector needs for private calls. */
  readonly credentialFields: readonly (keyof ConnectorCredentials)[];
  /**
   * Where the connector's book comes from with or without keys, in one line, when
   * that differs (Coinbase: the level-3 `full` channel needs keys; without them
   * the public `level2_batch`). Tools print it when keys are missing.
   */
  bookSource?(withKeys: boolean): string | undefined;
  /** Builds a market for the given pairs; without credentials only public data works. */
  createMarket(options: {
    readonly tradingPairs: readonly string[];
    readonly credentials?: ConnectorCredentials;
    readonly endpoints?: EndpointOverrides;
  }): TMarket;
}

/** Options of a connector's sandbox. */
export interface SandboxOptions {
  /** Seed of the synthetic market activity. */
  readonly seed?: number;
  /** Keys to fund as the demo account (demo keys are made up when absent). */
  readonly credentials?: ConnectorCredentials;
}

/**
 * A connector's own simulator running in-process with a funded demo account:
 * what `hb --sandbox` and `hb demo` point a market at. Each connector's
 * `testing` entry point exports `startSandbox: StartSandbox`; the main entry
 * never imports the simulator toolkit.
 */
export interface Sandbox {
  /** Where to point the market (REST and WebSocket always; RPC URL and chain id for on-chain venues). */
  readonly endpoints: EndpointOverrides & Required<Pick<EndpointOverrides, 'restUrl' | 'wsUrl'>>;
  /** The funded account's keys. */
  readonly credentials: ConnectorCredentials;
  /** Pairs the simulator lists. */
  readonly tradingPairs: readonly string[];
  /** Starts the synthetic traders. */
  startActivity(intervalMs?: number): void;
  /** Stops the synthetic traders. */
  stopActivity(): void;
  /** Stops everything and frees the ports. */
  stop(): Promise<void>;
}

/** What a connector's `testing` entry exports as `startSandbox`. */
export type StartSandbox = (options?: SandboxOptions) => Promise<Sandbox>;
