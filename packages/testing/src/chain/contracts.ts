import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  AbiCoder,
  Contract,
  ContractFactory,
  concat,
  getAddress,
  type ContractRunner,
  type InterfaceAbi,
} from 'ethers';
import type { LocalChain } from './local-chain.js';

/**
 * Where the 0x artifacts come from: the packages 0x published to npm with each
 * release's compiled contracts (ABI + bytecode), so nothing is compiled here.
 * v3: `@0x/contract-artifacts@3.18.1`. v2.1: `@0x/contract-artifacts@2.2.2`,
 * installed under the alias `@0x/contract-artifacts-v2`.
 */
export type ArtifactRelease = 'v3' | 'v2.1';

const PACKAGE_OF: Readonly<Record<ArtifactRelease, string>> = {
  v3: '@0x/contract-artifacts',
  'v2.1': '@0x/contract-artifacts-v2',
};

/** A compiled contract: its ABI and creation bytecode. */
export interface ContractArtifact {
  readonly contractName: string;
  readonly abi: InterfaceAbi;
  readonly bytecode: string;
}

const artifactCache = new Map<string, ContractArtifact>();

/**
 * Loads one artifact (`Exchange`, `ERC20Proxy`, `WETH9`, `DummyERC20Token`, ...)
 * of a 0x release from its npm package, resolved from `resolveFrom` (default:
 * the working directory).
 */
export function loadArtifact(
  release: ArtifactRelease,
  contractName: string,
  resolveFrom = join(process.cwd(), 'noop.js'),
): ContractArtifact {
  const key = `${release}:${contractName}`;
  const cached = artifactCache.get(key);
  if (cached) return cached;
  const pkg = PACKAGE_OF[release];
  let root: string;
  try {
    root = dirname(createRequire(resolveFrom).resolve(`${pkg}/package.json`));
  } catch (e) {
    throw new Error(
      `cannot find ${pkg} (install it as a dev dependency: see @hb/testing's README, "Local chain")`,
      { cause: e },
    );
  }
  const json = JSON.parse(readFileSync(join(root, 'lib', 'artifacts', `${contractName}.json`), 'utf8')) as {
    contractName: string;
    compilerOutput: { abi: InterfaceAbi; evm: { bytecode: { object: string } } };
  };
  const bytecode = json.compilerOutput.evm.bytecode.object;
  const artifact: ContractArtifact = {
    contractName: json.contractName,
    abi: json.compilerOutput.abi,
    bytecode: bytecode.startsWith('0x') ? bytecode : `0x${bytecode}`,
  };
  artifactCache.set(key, artifact);
  return artifact;
}

/** Deploys an artifact and waits until it is mined. */
export async function deployArtifact(
  artifact: ContractArtifact,
  deployer: ContractRunner,
  ...args: unknown[]
): Promise<Contract> {
  const factory = new ContractFactory(artifact.abi, artifact.bytecode, deployer);
  const contract = await factory.deploy(...args);
  await contract.waitForDeployment();
  return new Contract(await contract.getAddress(), artifact.abi, deployer);
}

/** 0x ERC-20 asset data: the proxy id `0xf47261b0` and the token address, ABI-encoded (36 bytes). */
export function erc20AssetData(token: string): string {
  return concat([
    '0xf47261b0',
    AbiCoder.defaultAbiCoder().encode(['address'], [getAddress(token)]),
  ]).toLowerCase();
}

/** Options of {@link deployErc20}. */
export interface Erc20Options {
  readonly name?: string;
  readonly symbol: string;
  readonly decimals?: number;
  /** Minted to the deployer, base units. Default 10^9 whole tokens. */
  readonly totalSupply?: bigint;
}

/**
 * Deploys an ERC-20 token: 0x's `DummyERC20Token` (a standard token whose owner
 * can `mint` and `setBalance`), as 0x's own test suites use.
 */
export async function deployErc20(deployer: ContractRunner, options: Erc20Options): Promise<Contract> {
  const decimals = options.decimals ?? 18;
  const supply = options.totalSupply ?? 10n ** 9n * 10n ** BigInt(decimals);
  return deployArtifact(
    loadArtifact('v3', 'DummyERC20Token'),
    deployer,
    options.name ?? options.symbol,
    options.symbol,
    decimals,
    supply,
  );
}

/** Deploys WETH9 (deposit / withdraw wrapped ether), the contract mainnet runs. */
export function deployWeth9(deployer: ContractRunner): Promise<Contract> {
  return deployArtifact(loadArtifact('v3', 'WETH9'), deployer);
}

/** A deployed 0x Exchange with its ERC20Proxy, wired together. */
export interface ZeroExDeployment {
  readonly release: ArtifactRelease;
  readonly exchange: Contract;
  readonly erc20Proxy: Contract;
  readonly exchangeAddress: string;
  readonly erc20ProxyAddress: string;
  readonly chainId: number;
}

/**
 * Deploys the real 0x v3 Exchange (`Exchange(chainId)`) and ERC20Proxy, registers
 * the proxy with the Exchange and authorises the Exchange on the proxy. Makers
 * and takers approve the proxy, not the Exchange. No protocol fee collector is
 * set, so fills owe no protocol fee until a test sets one.
 */
export async function deployZeroExV3(chain: LocalChain, deployer: ContractRunner): Promise<ZeroExDeployment> {
  const erc20Proxy = await deployArtifact(loadArtifact('v3', 'ERC20Proxy'), deployer);
  const exchange = await deployArtifact(loadArtifact('v3', 'Exchange'), deployer, chain.chainId);
  return wire('v3', chain, exchange, erc20Proxy);
}

/**
 * Deploys the real 0x v2.1 Exchange (`Exchange(zrxAssetData)`: makerFee and
 * takerFee are paid in ZRX) and its ERC20Proxy, wired together.
 */
export async function deployZeroExV2(
  chain: LocalChain,
  deployer: ContractRunner,
  zrxToken: string,
): Promise<ZeroExDeployment> {
  const erc20Proxy = await deployArtifact(loadArtifact('v2.1', 'ERC20Proxy'), deployer);
  const exchange = await deployArtifact(loadArtifact('v2.1', 'Exchange'), deployer, erc20AssetData(zrxToken));
  return wire('v2.1', chain, exchange, erc20Proxy);
}

async function wire(
  release: ArtifactRelease,
  chain: LocalChain,
  exchange: Contract,
  erc20Proxy: Contract,
): Promise<ZeroExDeployment> {
  const exchangeAddress = await exchange.getAddress();
  const erc20ProxyAddress = await erc20Proxy.getAddress();
  await (await exchange.getFunction('registerAssetProxy')(erc20ProxyAddress)).wait();
  await (await erc20Proxy.getFunction('addAuthorizedAddress')(exchangeAddress)).wait();
  return { release, exchange, erc20Proxy, exchangeAddress, erc20ProxyAddress, chainId: chain.chainId };
}

/** Gives `to` `amount` base units of a `DummyERC20Token` (by `setBalance`, as its owner). */
export async function fundErc20(token: Contract, to: string, amount: bigint): Promise<void> {
  await (await token.getFunction('setBalance')(to, amount)).wait();
}
