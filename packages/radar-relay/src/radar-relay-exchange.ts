// The 0x v3 Exchange as the connector reads it beyond @hb/zero-ex's
// ZeroExExchange: the Fill logs of one of our orders since it was signed (a
// maker's fills are other people's transactions), decoded by @hb/zero-ex.
import type { Log, Provider } from 'ethers';
import { classifyRpcError } from '@hb/ethereum';
import { ZERO_EX_EVENT_TOPICS, decodeFillEvent, type ZeroExFillEvent } from '@hb/zero-ex';

/** Fill events of one order on `exchangeAddress` from `fromBlock` on (the order hash is an indexed topic). */
export async function fillsOfOrder(
  provider: Provider,
  exchangeAddress: string,
  orderHash: string,
  fromBlock: number,
): Promise<ZeroExFillEvent[]> {
  let logs: Log[];
  try {
    logs = await provider.getLogs({
      address: exchangeAddress,
      topics: [ZERO_EX_EVENT_TOPICS.v3.Fill, null, null, orderHash],
      fromBlock,
      toBlock: 'latest',
    });
  } catch (e) {
    throw classifyRpcError(e);
  }
  return logs.map((l) => decodeFillEvent(l)).filter((f): f is ZeroExFillEvent => f !== undefined);
}

/** The Fill events of a receipt's logs emitted by `exchangeAddress`. */
export function fillsOfReceipt(logs: readonly Log[], exchangeAddress: string): ZeroExFillEvent[] {
  const want = exchangeAddress.toLowerCase();
  return logs
    .map((l) => decodeFillEvent(l))
    .filter((f): f is ZeroExFillEvent => f !== undefined && f.exchangeAddress.toLowerCase() === want);
}
