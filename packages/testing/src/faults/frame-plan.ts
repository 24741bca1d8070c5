import type { StreamFault } from './fault-types.js';

/** What a connection sends for one outgoing frame once a stream fault is applied. */
export interface FramePlan {
  /** Frames to send now, in order (possibly none). */
  readonly send: readonly string[];
  /** A frame held back for the next call (reorder), or undefined. */
  readonly hold: string | undefined;
  /** Wait this long before sending `send` (and keep later frames behind it). */
  readonly delayMs: number;
  /** Terminate the connection after sending `send`. */
  readonly close: boolean;
}

/**
 * Pure: applies one stream fault (or none) to an outgoing frame, given the frame a
 * previous `reorder` held back. A held frame always goes out right after the next
 * frame, so a reorder swaps exactly two neighbours and never loses data.
 */
export function planFrame(
  fault: StreamFault | undefined,
  frame: string,
  held: string | undefined,
): FramePlan {
  const after = held === undefined ? [] : [held];
  switch (fault?.kind) {
    case undefined:
      return { send: [frame, ...after], hold: undefined, delayMs: 0, close: false };
    case 'skip':
      return { send: after, hold: undefined, delayMs: 0, close: false };
    case 'repeat':
      // Late: the copy is held like a reordered frame, so it follows the next frame.
      return fault.late === true
        ? { send: [frame, ...after], hold: frame, delayMs: 0, close: false }
        : { send: [frame, frame, ...after], hold: undefined, delayMs: 0, close: false };
    case 'reorder':
      // With a frame already held, a second reorder would nest; send the pair swapped instead.
      return held === undefined
        ? { send: [], hold: frame, delayMs: 0, close: false }
        : { send: [frame, held], hold: undefined, delayMs: 0, close: false };
    case 'delay':
      return { send: [frame, ...after], hold: undefined, delayMs: fault.ms, close: false };
    case 'malformed':
      return {
        send: fault.replace ? [fault.frame, ...after] : [fault.frame, frame, ...after],
        hold: undefined,
        delayMs: 0,
        close: false,
      };
    case 'drop':
      return { send: [frame, ...after], hold: undefined, delayMs: 0, close: true };
  }
}

/**
 * Pure sequence helpers for simulators that number messages themselves and want a
 * numbering fault without dropping the frame's content: the next number after `last`
 * for one message, by fault kind (`skip` leaves a gap of one, `repeat` reuses `last`).
 */
export function nextSequence(last: number, fault?: 'skip' | 'repeat'): number {
  if (fault === 'skip') return last + 2;
  if (fault === 'repeat') return last;
  return last + 1;
}

/**
 * Pure: the order in which a batch of numbered items goes out under a sequence
 * fault applied at index `at`: `skip` drops it, `repeat` doubles it, `reorder` swaps
 * it with its successor. Used by tests and by simulators that batch frames.
 */
export function applySequenceFault<T>(
  items: readonly T[],
  fault: 'skip' | 'repeat' | 'reorder',
  at = 0,
): T[] {
  if (at < 0 || at >= items.length) return [...items];
  const out = [...items];
  const item = out[at] as T;
  if (fault === 'skip') out.splice(at, 1);
  else if (fault === 'repeat') out.splice(at, 0, item);
  else if (at + 1 < out.length) {
    out[at] = out[at + 1] as T;
    out[at + 1] = item;
  }
  return out;
}
