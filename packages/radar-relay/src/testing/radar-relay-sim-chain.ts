// The chain half of the Radar Relay sandbox: the real 0x v3 Exchange and
// ERC20Proxy, WETH9 and the listed ERC-20 tokens deployed on a local chain from
// @hb/testing/chain, an optional protocol fee collector, and funding of accounts
// (ETH, wrapped ETH, tokens, and, when asked, allowances to the ERC20Proxy).
import { Contract, Wallet, type ContractRunner, type Signer } from 'ethers';
import {
  deployErc20,
  deployWeth9,
  deployZeroExV3,
  erc20AssetData,
  loadArtifact,
  type LocalChain,
  type ZeroExDeployment,
} from '@hb/testing/chain';
import { DEFAULT_RADAR_SIM_TOKENS, type RadarSimTokenSpec } from './radar-relay-sim-types.js';

/** One deployed token. */
export interface RadarSimToken {
  readonly symbol: string;
  readonly name: string;
  readonly decimals: number;
  /** Lower-case address. */
  readonly address: string;
  /** 0x ERC-20 asset data (lower case). */
  readonly assetData: string;
  /** Whether Radar lists it as a quote token. */
  readonly quote: boolean;
  /** WETH9 (deposit / withdraw) rather than a plain token. */
  readonly weth: boolean;
  /** The contract, connected to the deployer. */
  readonly contract: Contract;
}

/** Everything the simulator deployed on the chain. */
export interface RadarSimDeployment {
  readonly chain: LocalChain;
  /** The 0x v3 Exchange and its ERC20Proxy. */
  readonly zeroEx: ZeroExDeployment;
  /** Lower-case Exchange address. */
  readonly exchangeAddress: string;
  /** Lower-case ERC20Proxy address (makers and takers approve this one). */
  readonly erc20ProxyAddress: string;
  /** Tokens by symbol. */
  readonly tokens: ReadonlyMap<string, RadarSimToken>;
  /** The deployer (test account 0): owner of the Exchange and of the dummy tokens. */
  readonly deployer: Signer;
  /** Who receives the v3 protocol fee (lower case); undefined when the fee is off. */
  readonly protocolFeeCollector: string | undefined;
  /** The Exchange's protocol fee multiplier (0 when the fee is off). */
  readonly protocolFeeMultiplier: bigint;
}

/** Options of {@link deployRadarContracts}. */
export interface RadarDeployOptions {
  /** Tokens to deploy; default WETH, DAI, ZRX. */
  readonly tokens?: readonly RadarSimTokenSpec[];
  /**
   * Charge the v3 protocol fee (multiplier × gas price per filled order, paid by the
   * taker in ETH) to this address; `false` for no fee. Default test account 18.
   */
  readonly protocolFeeCollector?: string | false;
  /** The protocol fee multiplier; default 150 000 (mainnet's). */
  readonly protocolFeeMultiplier?: bigint;
}

/** The protocol fee multiplier 0x governance set on mainnet. */
export const MAINNET_PROTOCOL_FEE_MULTIPLIER = 150_000n;

/** Test accounts the sandbox gives roles (the first ones are left to tests and users). */
export const RADAR_SIM_ACCOUNTS = {
  deployer: 0,
  /** The demo user of `hb --sandbox` / `hb demo`. */
  demo: 1,
  /** Simulated makers. */
  makers: [10, 11, 12],
  /** Simulated takers. */
  takers: [13, 14],
  protocolFeeCollector: 18,
  feeRecipient: 19,
} as const;

/** Deploys the 0x v3 Exchange + ERC20Proxy, WETH9 and the tokens; sets the protocol fee. */
export async function deployRadarContracts(
  chain: LocalChain,
  options: RadarDeployOptions = {},
): Promise<RadarSimDeployment> {
  const deployer = await chain.signer(RADAR_SIM_ACCOUNTS.deployer);
  const zeroEx = await deployZeroExV3(chain, deployer);
  const tokens = new Map<string, RadarSimToken>();
  for (const spec of options.tokens ?? DEFAULT_RADAR_SIM_TOKENS) {
    const contract =
      spec.weth === true
        ? await deployWeth9(deployer)
        : await deployErc20(deployer, { symbol: spec.symbol, name: spec.name, decimals: spec.decimals });
    const address = (await contract.getAddress()).toLowerCase();
    tokens.set(spec.symbol, {
      symbol: spec.symbol,
      name: spec.name,
      decimals: spec.decimals,
      address,
      assetData: erc20AssetData(address),
      quote: spec.quote === true,
      weth: spec.weth === true,
      contract,
    });
  }
  let collector: string | undefined;
  let multiplier = 0n;
  if (options.protocolFeeCollector !== false) {
    collector = (
      options.protocolFeeCollector ?? chain.account(RADAR_SIM_ACCOUNTS.protocolFeeCollector).address
    ).toLowerCase();
    multiplier = options.protocolFeeMultiplier ?? MAINNET_PROTOCOL_FEE_MULTIPLIER;
    const exchange = zeroEx.exchange;
    await (await exchange.getFunction('setProtocolFeeMultiplier')(multiplier)).wait();
    await (await exchange.getFunction('setProtocolFeeCollectorAddress')(collector)).wait();
  }
  return {
    chain,
    zeroEx,
    exchangeAddress: zeroEx.exchangeAddress.toLowerCase(),
    erc20ProxyAddress: zeroEx.erc20ProxyAddress.toLowerCase(),
    tokens,
    deployer,
    protocolFeeCollector: collector,
    protocolFeeMultiplier: multiplier,
  };
}

/** What {@link fundAccount} gives an account. */
export interface RadarFunding {
  /** ETH balance to set, wei (for gas and protocol fees). Default 100 ETH. */
  readonly ethWei?: bigint;
  /** Token balances in base units, by symbol (WETH is wrapped from the deployer's ETH and transferred). */
  readonly tokens?: Readonly<Record<string, bigint>>;
  /** Approve the ERC20Proxy for every token (unlimited); needs the account's key. Default false. */
  readonly approve?: boolean;
}

/**
 * Funds `account` (an address, or a private key when `approve` is asked: the
 * approvals are the owner's transactions). ETH is set directly; a dummy token
 * balance is set by the token's owner; WETH is wrapped by the deployer and
 * transferred, so WETH's total supply stays backed by ether.
 */
export async function fundAccount(
  deployment: RadarSimDeployment,
  account: { readonly address: string; readonly privateKey?: string },
  funding: RadarFunding = {},
): Promise<void> {
  const { chain } = deployment;
  await chain.setBalance(account.address, funding.ethWei ?? 100n * 10n ** 18n);
  for (const [symbol, amount] of Object.entries(funding.tokens ?? {})) {
    const token = tokenOf(deployment, symbol);
    if (token.weth) {
      const weth = token.contract.connect(deployment.deployer) as Contract;
      await (await weth.getFunction('deposit')({ value: amount })).wait();
      await (await weth.getFunction('transfer')(account.address, amount)).wait();
    } else {
      await (await token.contract.getFunction('setBalance')(account.address, amount)).wait();
    }
  }
  if (funding.approve === true) {
    if (account.privateKey === undefined) throw new Error('fundAccount: approve needs the private key');
    const wallet = new Wallet(account.privateKey, chain.provider);
    for (const token of deployment.tokens.values()) await approveProxy(deployment, token, wallet);
  }
}

/** Approves the ERC20Proxy for `token` from `owner`, `amount` (default unlimited), and waits for it. */
export async function approveProxy(
  deployment: RadarSimDeployment,
  token: RadarSimToken,
  owner: ContractRunner,
  amount: bigint = 2n ** 256n - 1n,
): Promise<void> {
  const c = token.contract.connect(owner) as Contract;
  await (await c.getFunction('approve')(deployment.erc20ProxyAddress, amount)).wait();
}

/** A token by symbol; throws when not deployed. */
export function tokenOf(deployment: RadarSimDeployment, symbol: string): RadarSimToken {
  const t = deployment.tokens.get(symbol);
  if (t === undefined) throw new Error(`radar-relay simulator: no token ${symbol}`);
  return t;
}

/** A read-only ERC-20 view (balanceOf, allowance) of `address` on the deployment's chain. */
export function erc20Reader(deployment: RadarSimDeployment, address: string): Contract {
  return new Contract(address, loadArtifact('v3', 'DummyERC20Token').abi, deployment.chain.provider);
}
