import type { ConnectorCapabilities } from './market/capabilities.js';
import type { Market } from './market/market.js';

/** Credentials a connector needs; which fields are required is the connector's business. */
export interface ConnectorCredentials {
  readonly apiKey?: string;
  readonly apiSecret?: string;
  readonly passphrase?: string;
  /** Hex private key for DEX connectors. */
  readonly privateKey?: string;
}

/** Endpoint overrides for testnets and simulators: scheme, host and port; the connector appends its paths. */
export interface EndpointOverrides {
  readonly restUrl?: string;
  readonly wsUrl?: string;
}

/**
 * What every connector package exports as `connector` from its index, so tools
 * such as the `hb` CLI can discover and drive any installed connector the same way.
 */
export interface ConnectorDescriptor<TMarket extends Market = Market, TSimulator = unknown> {
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
  /** Builds a market for the given pairs; without credentials only public data works. */
  createMarket(options: {
    readonly tradingPairs: readonly string[];
    readonly credentials?: ConnectorCredentials;
    readonly endpoints?: EndpointOverrides;
  }): TMarket;
  /** Starts the connector's own loopback simulator (from its `testing` entry point), when it has one. */
  startSimulator?(options?: { readonly seed?: number }): Promise<TSimulator>;
}
