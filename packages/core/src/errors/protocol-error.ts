// A frame or body from the exchange that breaks the protocol: wrong shape, a
// value out of range or of a forbidden sign, an inverted sequence range. The
// whole frame is refused (never half-applied) and the error names the exchange,
// the channel and a short excerpt of the frame with anything secret-looking
// masked, so a user can report it without leaking credentials.
import { HbError } from './hb-error.js';

/** Longest excerpt of a refused frame kept in a {@link ProtocolError}. */
export const PROTOCOL_EXCERPT_LENGTH = 160;

/**
 * JSON keys whose values are masked in excerpts: signatures, keys, tokens,
 * listen keys, passphrases, secrets (any case, any prefix).
 */
const SECRET_KEYS =
  /"([A-Za-z_]*(?:secret|passphrase|signature|sign|apikey|api_key|key|token|password)[A-Za-z_]*)"\s*:\s*("(?:[^"\\]|\\.)*"|[^,}\]\s]+)/gi;

/**
 * A short, safe excerpt of a frame: secret-looking JSON values masked, control
 * characters replaced, at most `max` characters (with an ellipsis when cut).
 */
export function redactExcerpt(frame: unknown, max = PROTOCOL_EXCERPT_LENGTH): string {
  let text: string;
  if (typeof frame === 'string') text = frame;
  else if (frame instanceof Uint8Array) text = Buffer.from(frame).toString('utf8');
  else {
    try {
      text = JSON.stringify(frame) ?? String(frame);
    } catch {
      text = Object.prototype.toString.call(frame);
    }
  }
  // Mask over the whole text first so a secret cut by the length limit still is masked.
  const masked = text.replace(SECRET_KEYS, '"$1":"***"').replace(/[\u0000-\u001f\u007f]/g, ' ');
  return masked.length > max ? `${masked.slice(0, max)}…` : masked;
}

/**
 * A frame the connector refused at the wire. `reason` is `malformed_message`
 * and it is never retryable: the same bytes would be refused again. What the
 * frame would have changed is unknown: the book re-syncs, the orders it named
 * are reconciled by REST.
 */
export class ProtocolError extends HbError {
  /** The channel or endpoint the frame came on (`btcusdt@depth@100ms`, `user`, `GET /fills`). */
  readonly channel: string;
  /** A short redacted excerpt of the frame (see {@link redactExcerpt}). */
  readonly excerpt: string;

  constructor(exchange: string, channel: string, frame: unknown, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    const excerpt = redactExcerpt(frame);
    super('malformed_message', `${exchange}: refused frame on ${channel}: ${why} in ${excerpt}`, {
      exchange,
      retryable: false,
      cause,
    });
    this.name = 'ProtocolError';
    this.channel = channel;
    this.excerpt = excerpt;
  }

  /** Plain object for logs and JSON output, with the channel and excerpt. */
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), channel: this.channel, excerpt: this.excerpt };
  }
}

/** Narrowing helper. */
export function isProtocolError(e: unknown): e is ProtocolError {
  return e instanceof ProtocolError;
}
