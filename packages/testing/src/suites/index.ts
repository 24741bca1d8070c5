// The shared Jest suites of '@hb/testing/suites': the generic scenarios of a
// connector's integration and unit specs, written once. Each connector runs them
// through a thin adapter and keeps in its own specs only what is true of its
// exchange. They register Jest tests, so they stay out of the main entry (which
// loads outside Jest, for the simulators of `hb demo`).
export * from './secrets-suite.js';
export * from './order-book-tracker-suite.js';
export * from './live-status-suite.js';
export * from './simulator-spec.js';
export * from './live-suite.js';
export * from './bot-api-suite.js';
export * from './market-suite.js';
export * from './user-stream-checks.js';
export * from './parser-properties.js';
export * from './decoding-suite.js';
export * from './trading-rules-suite.js';
export * from './error-table-suite.js';
export * from './sim-fault-checks.js';
export * from './catches-broken-connector.js';
