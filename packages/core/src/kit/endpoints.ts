// Where a connector connects: its production and sandbox (testnet) hosts, and
// the user's overrides for simulators and proxies. Every connector resolves them
// the same way, so `--sandbox`, `--rest-url` and `--ws-url` mean the same thing
// for every exchange.

/** What the user chose: the sandbox hosts, and/or explicit base URLs. */
export interface EndpointChoice {
  /** Use the exchange's sandbox (testnet) hosts. */
  readonly sandbox?: boolean;
  /** REST base URL (scheme, host, port) replacing the environment's. */
  readonly restUrl?: string;
  /** WebSocket base URL replacing the environment's socket hosts. */
  readonly wsUrl?: string;
}

/** The hosts of one environment of an exchange: at least a REST base. */
export interface ExchangeEndpoints {
  /** REST base (paths are appended as-is). */
  readonly rest: string;
}

/** An exchange's environments. */
export interface ExchangeEnvironments<T extends ExchangeEndpoints> {
  readonly production: T;
  /** Absent when the exchange has no sandbox; choosing it is then an error. */
  readonly sandbox?: T;
}

/** A base URL without trailing slashes. */
export function trimBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * The endpoints after the user's choice. `applyWsUrl` says how one WebSocket
 * override maps onto the exchange's socket hosts (Binance puts the WebSocket
 * API at `/ws-api/v3` of the same host).
 */
export function resolveEndpoints<T extends ExchangeEndpoints>(
  environments: ExchangeEnvironments<T>,
  choice: EndpointChoice,
  applyWsUrl: (wsUrl: string, base: T) => T,
): T {
  let base = environments.production;
  if (choice.sandbox === true) {
    if (environments.sandbox === undefined) throw new RangeError('this exchange has no sandbox environment');
    base = environments.sandbox;
  }
  const withRest = choice.restUrl === undefined ? base : { ...base, rest: trimBaseUrl(choice.restUrl) };
  return choice.wsUrl === undefined ? withRest : applyWsUrl(trimBaseUrl(choice.wsUrl), withRest);
}

/** Reconnect backoff bounds of a connector's sockets. */
export interface ReconnectBounds {
  /** First reconnect delay, ms. */
  readonly reconnectMinDelayMs?: number;
  /** Largest reconnect delay, ms. */
  readonly reconnectMaxDelayMs?: number;
}
