import { JsonRpcProvider, Network, type Provider } from 'ethers';
import { EthereumError, classifyRpcError } from './ethereum-errors.js';

/** Options of {@link connectRpc}. */
export interface ConnectRpcOptions {
  /** The chain id the venue's contracts live on; the node's is checked against it. */
  readonly chainId: number;
  /** How often ethers polls for blocks and receipts, ms. Default 1000 (ethers' own is 4 s). */
  readonly pollingIntervalMs?: number;
}

/**
 * A JSON-RPC provider for a node URL (`EndpointOverrides.rpcUrl` or the
 * credentials' `rpcUrl`), with the chain fixed (no network auto-detection
 * request per call) and checked: a node on another chain is a typed
 * `chain_mismatch` error before anything is signed for it.
 */
export async function connectRpc(rpcUrl: string, options: ConnectRpcOptions): Promise<JsonRpcProvider> {
  const network = Network.from(options.chainId);
  const provider = new JsonRpcProvider(rpcUrl, network, {
    staticNetwork: network,
    cacheTimeout: -1,
    pollingInterval: options.pollingIntervalMs ?? 1_000,
  });
  try {
    await verifyChainId(provider, options.chainId);
  } catch (e) {
    provider.destroy();
    throw e;
  }
  return provider;
}

/** Throws `chain_mismatch` unless the provider's node serves `chainId` (`rpc_unavailable` when it does not answer). */
export async function verifyChainId(provider: Provider, chainId: number): Promise<void> {
  let actual: bigint;
  try {
    actual = BigInt((await (provider as JsonRpcProvider).send('eth_chainId', [])) as string);
  } catch (e) {
    throw classifyRpcError(e);
  }
  if (actual !== BigInt(chainId)) {
    throw new EthereumError('chain_mismatch', `the node serves chain ${actual}, not chain ${chainId}`, {
      retryable: false,
    });
  }
}
