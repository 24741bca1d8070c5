// The shapes the CLI relies on, written structurally. The CLI loads connectors with
// a dynamic import and may meet a second copy of @hb/core (or one of a different
// minor version), so it never relies on `instanceof` or on core's runtime: only on
// these shapes, checked at run time where they come from a connector.
import type {
  CandleInterval,
  ConnectorCredentials,
  ConnectorDescriptor,
  EndpointOverrides,
  InFlightOrderJson,
  Market,
  OpenOrder,
  OrderSide,
  OrderType,
  Sandbox,
  SandboxOptions,
  StartSandbox,
} from '@hb/core';

export type {
  CandleInterval,
  ConnectorCredentials,
  ConnectorDescriptor,
  EndpointOverrides,
  OpenOrder,
  OrderSide,
  OrderType,
  Sandbox,
  SandboxOptions,
  StartSandbox,
};

/** What the CLI needs of a market: core's public `Market` contract. */
export type CliMarket = Market;

/** An `HbError` (or subclass) recognised by shape, whichever copy of core made it. */
export interface HbErrorLike {
  readonly message: string;
  readonly reason: string;
  readonly exchange?: string;
  readonly exchangeCode?: string | number;
  readonly httpStatus?: number;
  /** Set on `OrderRuleError`: which trading rule was broken. */
  readonly rule?: string;
  /** The class name (`NotSupportedError`, ...). */
  readonly name?: string;
  readonly cause?: unknown;
}

/** The tracking state the CLI restores to cancel orders it did not place in this process. */
export type TrackingState = InFlightOrderJson;

/** True when `e` has an `HbError`'s shape (a message and a string `reason`). */
export function isHbErrorLike(e: unknown): e is HbErrorLike {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { message?: unknown }).message === 'string' &&
    typeof (e as { reason?: unknown }).reason === 'string'
  );
}

/** True when `x` has a connector descriptor's shape. */
export function isConnectorDescriptor(x: unknown): x is ConnectorDescriptor {
  if (typeof x !== 'object' || x === null) return false;
  const d = x as Record<string, unknown>;
  return (
    typeof d['name'] === 'string' &&
    d['name'] !== '' &&
    typeof d['version'] === 'string' &&
    typeof d['createMarket'] === 'function' &&
    Array.isArray(d['credentialFields'])
  );
}

/** True when `x` has the market methods the CLI calls. */
export function isCliMarket(x: unknown): x is CliMarket {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Record<string, unknown>;
  return ['start', 'stop', 'getOrderBook', 'buy', 'sell', 'cancel', 'cancelAll', 'getAllBalances'].every(
    (k) => typeof m[k] === 'function',
  );
}
