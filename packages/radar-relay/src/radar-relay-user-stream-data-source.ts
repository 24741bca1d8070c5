// Radar Relay has no private stream (radar-relay.md §9): the user's orders are
// polled from the relayer (`/orders/{hash}`, `/accounts/{address}/orders`) and
// their fills are read from the chain's 0x Fill logs, by core's reconciliation
// loop (capabilities.userStream = false). This file keeps the connector tree's
// shape and names the event type the market is parameterised with.

/** The market's raw user-stream event type: none exists, so no value of it is ever produced. */
export type RadarRelayUserEvent = never;
