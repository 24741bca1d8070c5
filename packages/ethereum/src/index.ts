// The public surface of @hb/ethereum: what the DEX connectors share to talk to
// Ethereum. CEX packages never import it (a workspace test checks).
export * from './ethereum-errors.js';
export * from './ethereum-wallet.js';
export * from './ethereum-provider.js';
export * from './gas.js';
export * from './nonce-manager.js';
export * from './transaction-tracker.js';
export * from './transaction-sender.js';
export * from './erc20.js';
export * from './log-watcher.js';
