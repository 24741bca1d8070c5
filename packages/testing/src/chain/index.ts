// @hb/testing/chain: a real local Ethereum chain for DEX tests. A separate entry
// from @hb/testing's main one so CEX packages never load ethers or Hardhat.
export {
  LocalChain,
  startLocalChain,
  TEST_MNEMONIC,
  type LocalAccount,
  type LocalChainOptions,
} from './local-chain.js';
export {
  deployArtifact,
  deployErc20,
  deployWeth9,
  deployZeroExV2,
  deployZeroExV3,
  erc20AssetData,
  fundErc20,
  loadArtifact,
  type ArtifactRelease,
  type ContractArtifact,
  type Erc20Options,
  type ZeroExDeployment,
} from './contracts.js';
