import type { Observable } from 'rxjs';
import type { HbError } from '../errors/hb-error.js';

/**
 * A private event stream for one exchange account. `T` is the exchange's raw
 * event type (kept private to the connector); the market parses it into
 * `UserStreamUpdate` values. Cold: subscribing connects and authenticates.
 */
export interface UserStreamTrackerDataSource<T> {
  /**
   * Events, in the order received. On a reconnect the stream emits a
   * `{ kind: 'reconnected' }` marker so the market reconciles by REST: private
   * events sent while the socket was down are gone. A failure retrying cannot
   * fix (authentication, permission) errors the stream with a non-retryable
   * `HbError`: the tracker then stops and reports it.
   */
  listen(): Observable<UserStreamEvent<T>>;
}

/** What a user-stream data source emits. */
export type UserStreamEvent<T> =
  | { readonly kind: 'event'; readonly event: T; readonly receivedAt: number }
  | { readonly kind: 'connected'; readonly receivedAt: number }
  | { readonly kind: 'reconnected'; readonly receivedAt: number; readonly reason: string }
  /**
   * The socket was lost (before any reconnect), or the exchange refused the
   * subscription and the source subscribes again (a rate limit, a skewed clock):
   * the stream is `stale` until the source says `connected`/`reconnected`, and
   * the market polls fast meanwhile. `error` is the typed refusal, when there is
   * one: the stream's status carries it, so each refusal reaches the user.
   */
  | {
      readonly kind: 'disconnected';
      readonly receivedAt: number;
      readonly reason: string;
      readonly error?: HbError;
    }
  /**
   * A frame the source refused at the wire (invalid JSON, unknown shape): the
   * market reports it and reconciles by REST, since it may have carried a fill.
   */
  | { readonly kind: 'refused'; readonly receivedAt: number; readonly error: HbError };
