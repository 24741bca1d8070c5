// No user-stream tracker: Radar Relay has no private stream (see
// radar-relay-user-stream-data-source.ts). Orders, fills and balances are
// followed by polling the relayer and reading the chain; the poll pace is core's
// fast interval, since nothing pushes.

/** How often the market polls the relayer and the chain by default, ms. */
export const RADAR_RELAY_POLL_INTERVAL_MS = 2_000;
