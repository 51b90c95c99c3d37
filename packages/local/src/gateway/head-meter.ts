/**
 * Measures each request head on the raw bytes of its connection, before Node's parser sees them:
 * the parser trims header whitespace and keeps only the first 2,000 headers, so a head counted
 * after parsing can be far larger on the wire (30,000 spaces in one value, 4,000 empty headers)
 * than API Gateway's 10,240-byte limit allows. The meter follows the connection's framing just
 * enough to find where the next head starts: a `content-length` body is skipped by count, a
 * request without a body re-arms it at once, and any other body (chunked) waits for `rearm()` when
 * the server has read it to its end.
 *
 * It also keeps the head's `Origin`, so answers written before a request object exists (Node's
 * own 400/408/431 through `clientError`) can carry the gateway's CORS headers like any other.
 */

import type { GatewayStatus } from './gateway-responses';

const TERMINATOR = Buffer.from('\r\n\r\n', 'latin1');
/**
 * How far past the limit an over-long head is searched for its `Origin`: browsers send `Origin`
 * after `Authorization`, so a huge token pushes it past 10,240 bytes, and a 431 without CORS
 * headers would reach the page as a bare CORS error hiding the real status.
 */
const ORIGIN_LOOKAHEAD_BYTES = 64 * 1024;

type Phase = { kind: 'head' } | { kind: 'body'; remaining: number } | { kind: 'until-rearm' };

export class HeadMeter {
  private phase: Phase = { kind: 'head' };
  /** The head in progress, never more than the limit plus the terminator. */
  private head: Buffer = Buffer.alloc(0);
  private lastOrigin: string | undefined;
  /** The `Origin` found in an over-long head, which is not kept whole. */
  private overflowOrigin: string | undefined;
  /** Set once the connection has been answered 431; later requests on it are ignored. */
  refused = false;
  /** The status the connection was answered with outside any request (431, or 400/408 from Node's parser). */
  answeredWith: GatewayStatus | undefined;

  constructor(private readonly limit: number) {}

  /** Feeds bytes as they arrive; false once the head in progress is over the limit. */
  feed(chunk: Buffer): boolean {
    let offset = 0;
    while (offset < chunk.length) {
      switch (this.phase.kind) {
        case 'until-rearm':
          return true;
        case 'body': {
          const taken = Math.min(this.phase.remaining, chunk.length - offset);
          offset += taken;
          this.phase =
            this.phase.remaining === taken
              ? { kind: 'head' }
              : { kind: 'body', remaining: this.phase.remaining - taken };
          break;
        }
        case 'head': {
          const consumed = this.feedHead(chunk.subarray(offset));
          if (consumed === undefined) return false;
          offset += consumed;
        }
      }
    }
    return true;
  }

  /** The body of a request whose length the head did not state has been read: the next head starts. */
  rearm(): void {
    if (this.phase.kind === 'until-rearm') this.phase = { kind: 'head' };
  }

  /** The `Origin` of the head in progress, or of the last complete one. */
  origin(): string | undefined {
    if (this.overflowOrigin !== undefined) return this.overflowOrigin;
    return this.head.length > 0 ? originIn(this.head.toString('latin1')) : this.lastOrigin;
  }

  /** Bytes of `piece` that belong to this head, or undefined when the head is over the limit. */
  private feedHead(piece: Buffer): number | undefined {
    const before = this.head.length;
    const joined = before === 0 ? piece : Buffer.concat([this.head, piece]);
    const end = joined.indexOf(TERMINATOR, Math.max(0, before - 3));
    // The head is the request line and header lines with their CRLFs, without the blank line.
    if (end === -1) {
      if (joined.length - 1 <= this.limit) {
        this.head = joined;
        return piece.length;
      }
      return this.overLimit(joined);
    }
    if (end + 2 > this.limit) return this.overLimit(joined.subarray(0, end + 2));
    const text = joined.subarray(0, end + 2).toString('latin1');
    this.head = Buffer.alloc(0);
    this.lastOrigin = originIn(text);
    this.phase = bodyPhase(text);
    return end + TERMINATOR.length - before;
  }

  private overLimit(joined: Buffer): undefined {
    this.overflowOrigin = originIn(joined.subarray(0, ORIGIN_LOOKAHEAD_BYTES).toString('latin1'));
    this.head = joined.subarray(0, this.limit + 2);
    return undefined;
  }
}

function bodyPhase(head: string): Phase {
  if (/\r\ntransfer-encoding:/i.test(head)) return { kind: 'until-rearm' };
  const length = Number(/\r\ncontent-length:[ \t]*(\d+)[ \t]*\r\n/i.exec(head)?.[1] ?? 0);
  return length > 0 ? { kind: 'body', remaining: length } : { kind: 'head' };
}

/** One `Origin` header's value; none when absent or repeated (joined, it would match no rule anyway). */
function originIn(head: string): string | undefined {
  const values = [...head.matchAll(/\r\norigin:[ \t]*([^\r\n]*?)[ \t]*(?=\r\n)/gi)].map((m) => m[1] ?? '');
  return values.length === 1 ? values[0] : undefined;
}
