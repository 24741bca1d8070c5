// Ready-made ping/pong rules for the application-level heartbeats exchanges
// use, to put in a socket's `heartbeat.isPing`. Protocol-level pings need no
// rule: `ws` answers them itself.
import type { WsOutgoing } from '../net/ws-connection.js';

/**
 * Server pings that are a JSON object with one key (`{"ping": 1492420473027}`)
 * answered with the same value under another key (`{"pong": 1492420473027}`),
 * as Huobi does. Any other frame is not a ping.
 */
export function jsonPingPong(pingKey: string, pongKey: string): (text: string) => WsOutgoing | undefined {
  // A cheap test before parsing: pings are answered on the hot path of every frame.
  const marker = `"${pingKey}"`;
  return (text) => {
    if (!text.includes(marker)) return undefined;
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return undefined;
    const keys = Object.keys(frame);
    if (keys.length !== 1 || keys[0] !== pingKey) return undefined;
    return { [pongKey]: (frame as Record<string, unknown>)[pingKey] };
  };
}

/** Server pings that are an exact text (`ping`) answered with another (`pong`). */
export function textPingPong(ping: string, pong: string): (text: string) => WsOutgoing | undefined {
  return (text) => (text === ping ? pong : undefined);
}
