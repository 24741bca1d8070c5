// RadarRelay's order states in core's terms. Core's InFlightOrder owns
// every transition; this file only says what the exchange's status means.
import { notImplemented, type OrderState } from '@hb/core/connector';
import { RADAR_RELAY_EXCHANGE } from './radar-relay-constants.js';

/** The exchange's order status -> core's OrderState. */
export function radarRelayOrderState(_status: string): OrderState {
  throw notImplemented(RADAR_RELAY_EXCHANGE, 'order status mapping (src/radar-relay-in-flight-order.ts)');
}
