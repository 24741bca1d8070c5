import { AbiCoder, Interface } from 'ethers';
import {
  EthereumError,
  RevertDecoder,
  classifyRpcError,
  encodeErrorString,
  isEthereumError,
} from '../src/index.js';

const decoder = new RevertDecoder(['error OrderStatusError(bytes32 orderHash, uint8 orderStatus)']);

describe('RevertDecoder', () => {
  it('decodes a require message', () => {
    const d = decoder.decode(encodeErrorString('ERC20_INSUFFICIENT_BALANCE'));
    expect(d?.name).toBe('Error');
    expect(d?.reason).toBe('Error("ERC20_INSUFFICIENT_BALANCE")');
  });

  it('decodes a panic', () => {
    const data = `0x4e487b71${AbiCoder.defaultAbiCoder().encode(['uint256'], [0x11]).slice(2)}`;
    expect(decoder.decode(data)?.reason).toBe('Panic(17)');
  });

  it("decodes a venue's custom error (0x v3 OrderStatusError)", () => {
    const hash = `0x${'12'.repeat(32)}`;
    const data = new Interface([
      'error OrderStatusError(bytes32 orderHash, uint8 orderStatus)',
    ]).encodeErrorResult('OrderStatusError', [hash, 6]);
    const d = decoder.decode(data);
    expect(d?.name).toBe('OrderStatusError');
    expect(d?.args).toEqual([hash, 6n]);
  });

  it('says so for empty or unknown data instead of guessing', () => {
    expect(decoder.decode('0x')).toBeUndefined();
    expect(decoder.describe('0x')).toBe('reverted without a reason');
    expect(decoder.describe('0xdeadbeef00')).toMatch(/unknown data 0xdeadbeef/);
  });
});

describe('classifyRpcError', () => {
  it.each([
    [
      { code: 'INSUFFICIENT_FUNDS', message: 'insufficient funds for intrinsic transaction cost' },
      'insufficient_funds_for_gas',
      'insufficient_funds',
    ],
    [
      new Error("Sender doesn't have enough funds to send tx. The max upfront cost is: 1"),
      'insufficient_funds_for_gas',
      'insufficient_funds',
    ],
    [{ code: 'NONCE_EXPIRED', message: 'nonce has already been used' }, 'nonce_too_low', 'invalid_order'],
    [new Error('Nonce too low. Expected nonce to be 5 but got 3.'), 'nonce_too_low', 'invalid_order'],
    [new Error('replacement transaction underpriced'), 'replacement_underpriced', 'invalid_order'],
    [{ code: 'NETWORK_ERROR', message: 'could not detect network' }, 'rpc_unavailable', 'unavailable'],
    [new Error('connect ECONNREFUSED 127.0.0.1:8545'), 'rpc_unavailable', 'unavailable'],
    [{ code: 'TIMEOUT', message: 'timeout' }, 'timeout', 'timeout'],
  ])('%p -> %s', (input, kind, reason) => {
    const e = classifyRpcError(input);
    expect(e).toBeInstanceOf(EthereumError);
    expect(e.kind).toBe(kind);
    expect(e.reason).toBe(reason);
  });

  it('a revert carries its decoded reason and is not retryable', () => {
    const e = classifyRpcError(
      { code: 'CALL_EXCEPTION', message: 'execution reverted', data: encodeErrorString('nope') },
      decoder,
    );
    expect(isEthereumError(e, 'reverted')).toBe(true);
    expect(e.revert?.args).toEqual(['nope']);
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('Error("nope")');
  });

  it('finds revert data nested in the node error (ethers wraps the JSON-RPC error)', () => {
    const e = classifyRpcError(
      {
        code: 'UNKNOWN_ERROR',
        message: 'could not coalesce',
        error: { message: 'reverted', data: encodeErrorString('deep') },
      },
      decoder,
    );
    expect(e.kind).toBe('reverted');
    expect(e.revert?.args).toEqual(['deep']);
  });

  it('an unavailable node leaves an outcome unknown (a sent transaction may be out)', () => {
    expect(classifyRpcError(new Error('fetch failed')).outcomeUnknown).toBe(true);
  });
});
