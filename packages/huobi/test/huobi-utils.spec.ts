import { HUOBI_ACCOUNT_SOCKET_TIMING, HUOBI_SOCKET_TIMING, HUOBI_WS_LIMITS } from '../src/huobi-constants.js';
import {
  HUOBI_CLIENT_ORDER_IDS,
  huobiTimestamp,
  isHuobiClientOrderId,
  parseHuobiTimestamp,
} from '../src/huobi-utils.js';

describe('utils', () => {
  it('Signature V2 timestamps: UTC seconds, no Z, round trip', () => {
    expect(huobiTimestamp(1_700_000_000_999)).toBe('2023-11-14T22:13:20');
    expect(parseHuobiTimestamp('2023-11-14T22:13:20')).toBe(1_700_000_000_000);
    expect(parseHuobiTimestamp('2023-11-14T22:13:20Z')).toBeUndefined();
  });

  it('client order ids: at most 64 of letters, digits, _ and -', () => {
    expect(isHuobiClientOrderId('hbB_mabc-0001')).toBe(true);
    expect(isHuobiClientOrderId('a'.repeat(65))).toBe(false);
    expect(isHuobiClientOrderId('has space')).toBe(false);
    const id = HUOBI_CLIENT_ORDER_IDS.create('buy', 'BTC-USDT');
    expect(isHuobiClientOrderId(id)).toBe(true);
    expect(id.startsWith('hb')).toBe(true);
  });

  it("keep-alive defaults follow Huobi's rule: no client pings; a dead market socket is stale well within 30 s", () => {
    expect(HUOBI_SOCKET_TIMING.pingIntervalMs).toBe(0);
    // Three of the server's 5-s pings missed.
    expect(HUOBI_SOCKET_TIMING.deadAfterMs).toBe(3 * HUOBI_WS_LIMITS.marketPingIntervalMs);
    expect(HUOBI_SOCKET_TIMING.deadAfterMs).toBeLessThan(30_000);
    // The account socket: two of the server's 20-s pings missed, and a margin.
    expect(HUOBI_ACCOUNT_SOCKET_TIMING.pingIntervalMs).toBe(0);
    expect(HUOBI_ACCOUNT_SOCKET_TIMING.deadAfterMs).toBeGreaterThan(
      2 * HUOBI_WS_LIMITS.accountPingIntervalMs,
    );
  });
});
