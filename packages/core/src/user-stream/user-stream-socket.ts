// The part of a private stream that is the same on every exchange that speaks
// JSON over one WebSocket: the socket (reconnecting, with the market's
// keep-alive), frames that are not JSON objects refused (they may have held a
// fill, so the market reconciles), a lost socket making the stream stale at
// once, a failed socket ending the stream with a typed error, and unsubscribing
// closing the socket. The connector handles the objects.
import type { Subscriber } from 'rxjs';
import { HbError } from '../errors/hb-error.js';
import { ProtocolError } from '../errors/protocol-error.js';
import { wsTiming, type SocketTiming, type SocketTimingDefaults } from '../kit/socket-timing.js';
import { WsConnection, type WsOutgoing } from '../net/ws-connection.js';
import type { UserStreamEvent } from './user-stream-tracker-data-source.js';

/** A JSON object frame of a private stream. */
export type UserStreamFrame = Readonly<Record<string, unknown>>;

/** What a connector can do while it handles a frame. */
export interface UserStreamSocketContext {
  /** Reports the frame as refused (an unknown message type): the market reconciles by REST. */
  refuse(cause: unknown): void;
  /** Sends on the socket (a re-subscription); rejects when the socket is not open. */
  send(message: WsOutgoing): Promise<void>;
}

/** What {@link runUserStreamSocket} needs to know. */
export interface UserStreamSocketOptions {
  /** Exchange name carried by every error. */
  readonly exchange: string;
  /** The channel refused frames came on (`user data stream`, `user`). */
  readonly channel: string;
  /** The stream's name in the socket's name and a failure message; the channel when omitted. */
  readonly name?: string;
  /** The socket's URL. */
  readonly url: string;
  /** The market's keep-alive and reconnect timing. */
  readonly timing: SocketTiming;
  /** The exchange's keep-alive for what the timing leaves open. */
  readonly timingDefaults: SocketTimingDefaults;
  /**
   * Recognises an application ping of the server and returns the reply (Huobi's
   * `{"action":"ping"}`); answered inside the connection, never handed to `onObject`.
   */
  readonly isPing?: (text: string) => WsOutgoing | undefined;
  /** The messages sent on every (re)connect: the login and subscription. */
  readonly onOpen: () => readonly WsOutgoing[];
  /** One JSON object frame. */
  readonly onObject: (frame: UserStreamFrame, receivedAt: number, context: UserStreamSocketContext) => void;
}

/**
 * Opens the stream's socket, wires it to `subscriber` and connects; returns the
 * teardown, which closes the socket. Call it inside `new Observable(...)` of a
 * data source's `listen()`.
 */
export function runUserStreamSocket<T>(
  subscriber: Subscriber<UserStreamEvent<T>>,
  options: UserStreamSocketOptions,
): () => void {
  const { exchange, channel } = options;
  const name = options.name ?? channel;
  const timing = wsTiming(options.timing, options.timingDefaults);
  const connection = new WsConnection({
    name: `${exchange} ${name}`,
    url: options.url,
    reconnect: timing.reconnect,
    heartbeat:
      options.isPing === undefined ? timing.heartbeat : { ...timing.heartbeat, isPing: options.isPing },
    onOpen: () => options.onOpen(),
  });
  const send = (message: WsOutgoing): Promise<void> => connection.send(message);
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
    options.onObject(frame as UserStreamFrame, receivedAt, { refuse, send });
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
        e instanceof HbError ? e : new HbError('network', `${exchange}: ${name} failed`, { cause: e }),
      ),
  });
  connection.connect().catch((e: unknown) => subscriber.error(e));
  return () => {
    states.unsubscribe();
    messages.unsubscribe();
    void connection.close();
  };
}
