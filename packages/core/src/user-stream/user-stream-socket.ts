// The part of a private stream that is the same on every exchange that speaks
// JSON over one WebSocket: frames that are not JSON objects are refused (they
// may have held a fill, so the market reconciles), a lost socket makes the
// stream stale at once, a failed socket ends the stream with a typed error, and
// unsubscribing closes the socket. The connector handles the objects.
import type { Subscriber } from 'rxjs';
import { HbError } from '../errors/hb-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import type { WsConnection } from '../net/ws-connection.js';
import type { UserStreamEvent } from './user-stream-tracker-data-source.js';

/** A JSON object frame of a private stream. */
export type UserStreamFrame = Readonly<Record<string, unknown>>;

/** What {@link runUserStreamSocket} needs to know. */
export interface UserStreamSocketOptions {
  /** Exchange name carried by every error. */
  readonly exchange: string;
  /** The channel refused frames came on (`user data stream`, `user`). */
  readonly channel: string;
  /** The stream's name in a failure message; the channel when omitted. */
  readonly name?: string;
  /**
   * One JSON object frame. `refuse(cause)` reports the frame as refused (an
   * unknown message type) so the market reconciles by REST.
   */
  readonly onObject: (frame: UserStreamFrame, receivedAt: number, refuse: (cause: unknown) => void) => void;
}

/**
 * Wires `connection` to `subscriber` and connects; returns the teardown (which
 * closes the socket). Call it inside `new Observable(...)` of a data source's
 * `listen()`.
 */
export function runUserStreamSocket<T>(
  subscriber: Subscriber<UserStreamEvent<T>>,
  connection: WsConnection,
  options: UserStreamSocketOptions,
): () => void {
  const { exchange, channel } = options;
  const onFrame = (text: string, receivedAt: number): void => {
    const refuse = (cause: unknown): void =>
      subscriber.next({
        kind: 'refused',
        receivedAt,
        error: new ProtocolError(exchange, channel, text, cause),
      });
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch (e) {
      refuse(e);
      return;
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
      refuse('not a JSON object');
      return;
    }
    options.onObject(frame as UserStreamFrame, receivedAt, refuse);
  };

  // The stream is stale from the moment its socket is lost, not from the reconnect.
  let wasConnected = false;
  const states = connection.state$.subscribe((state) => {
    if (state.status === 'connected') wasConnected = true;
    else if (state.status === 'reconnecting' && wasConnected) {
      wasConnected = false;
      subscriber.next({ kind: 'disconnected', receivedAt: Date.now(), reason: state.reason });
    }
  });
  const messages = connection.messages$.subscribe({
    next: (m) => onFrame(m.data, m.receivedAt),
    error: (e: unknown) =>
      subscriber.error(
        e instanceof HbError
          ? e
          : new HbError('network', `${exchange}: ${options.name ?? channel} failed`, { cause: e }),
      ),
  });
  connection.connect().catch((e: unknown) => subscriber.error(e));
  return () => {
    states.unsubscribe();
    messages.unsubscribe();
    void connection.close();
  };
}
