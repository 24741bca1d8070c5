// What every connector's user-stream spec checks when the exchange refuses its
// keys, written once: the stream ends with a typed, non-retryable authentication
// error before it ever says `connected`, no subscription is left on the
// exchange, and neither the error (message, JSON, stack, causes) nor anything
// else the user may print shows a secret.
import { expect } from '@jest/globals';
import type { Observable } from 'rxjs';
import { HbError, type UserStreamEvent } from '@hb/core/connector';
import { waitFor, type Cleanup } from '../util/test-helpers.js';

/** What {@link expectRefusedUserStream} watches. */
export interface RefusedUserStream {
  /** Opens the user stream with the refused keys (subscribed once). */
  listen(): Observable<UserStreamEvent<unknown>>;
  /** The user-stream subscriptions the exchange holds now. */
  subscriptions(): number;
  /** Every secret (and passphrase) that must not show, refused or real. */
  readonly secrets: readonly string[];
  /** More objects the user may print next to the error (the signer). */
  readonly printed?: readonly unknown[];
  readonly cleanup: Cleanup;
}

/** Opens the stream and checks it is refused as an authentication error that shows no secret. */
export async function expectRefusedUserStream(stream: RefusedUserStream): Promise<HbError> {
  let failure: unknown;
  const received: UserStreamEvent<unknown>[] = [];
  const sub = stream
    .listen()
    .subscribe({ next: (e) => received.push(e), error: (e: unknown) => (failure = e) });
  stream.cleanup.add(() => sub.unsubscribe());
  await waitFor('the refusal', () => failure !== undefined);
  // A generated connector's stub (core's notImplemented): say what is missing, not which expectation broke.
  if (failure instanceof HbError && failure.message.includes(': not implemented: ')) throw failure;

  expect(failure).toBeInstanceOf(HbError);
  const error = failure as HbError;
  expect(error.reason).toBe('authentication');
  expect(error.retryable).toBe(false);
  expect(received.some((e) => e.kind === 'connected')).toBe(false);
  expect(stream.subscriptions()).toBe(0);
  const texts = [
    error.message,
    JSON.stringify(error.toJSON()),
    String(error.stack),
    ...(stream.printed ?? []).map((p) => JSON.stringify(p)),
  ];
  for (
    let cause: unknown = error.cause;
    cause !== undefined && cause !== null;
    cause = (cause as { cause?: unknown }).cause
  ) {
    texts.push(cause instanceof Error ? `${cause.message} ${String(cause.stack)}` : JSON.stringify(cause));
  }
  for (const text of texts) for (const secret of stream.secrets) expect(text).not.toContain(secret);
  return error;
}
