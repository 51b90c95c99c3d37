/**
 * The frames a Node.js execution environment and the local Lambda service exchange over the two
 * pipes between them (the Node runtime's channel: see runtime-pipe.ts). Shared by both ends — the
 * service imports it, and the runtime's bootstrap imports it with bare `node` — so it is plain ESM.
 *
 * A frame is two unsigned 32-bit big-endian lengths, a JSON header of the first length and a raw
 * payload of the second: the event or the answer travels as the bytes it is, never re-encoded
 * inside a JSON string.
 */

const PREFIX_BYTES = 8;
const EMPTY = Buffer.alloc(0);

/** One frame: `header` as JSON, `payload` (a string or bytes) as it is. */
export function encodeFrame(header, payload) {
  const head = Buffer.from(JSON.stringify(header));
  const body = payload === undefined ? EMPTY : typeof payload === 'string' ? Buffer.from(payload) : payload;
  const frame = Buffer.allocUnsafe(PREFIX_BYTES + head.length + body.length);
  frame.writeUInt32BE(head.length, 0);
  frame.writeUInt32BE(body.length, 4);
  head.copy(frame, PREFIX_BYTES);
  body.copy(frame, PREFIX_BYTES + head.length);
  return frame;
}

export class FrameError extends Error {
  name = 'FrameError';
}

/**
 * Cuts a byte stream into frames. A payload over `maxPayloadBytes` is skipped as it streams in,
 * never held, and its frame comes out with `payload: undefined` and `oversize` set to its length;
 * a header over `maxHeaderBytes` or one that is not a JSON object throws `FrameError` (only the
 * runtime's own bootstrap writes here, so it means the channel is broken).
 */
export class FrameReader {
  #chunks = [];
  #buffered = 0;
  /** The frame whose prefix and header are read, and how much of its payload is still to come. */
  #open;
  #skipping = 0;

  constructor({ maxHeaderBytes, maxPayloadBytes }) {
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /** Takes a chunk; returns the frames it completed, in order. */
  push(chunk) {
    const frames = [];
    if (this.#skipping > 0) {
      const skipped = Math.min(this.#skipping, chunk.length);
      this.#skipping -= skipped;
      chunk = chunk.subarray(skipped);
      if (this.#skipping > 0) return frames;
      frames.push(this.#open);
      this.#open = undefined;
    }
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    for (;;) {
      if (!this.#open) {
        if (this.#buffered < PREFIX_BYTES) return frames;
        const prefix = this.#peek(PREFIX_BYTES);
        const headerBytes = prefix.readUInt32BE(0);
        const payloadBytes = prefix.readUInt32BE(4);
        if (headerBytes > this.maxHeaderBytes) {
          throw new FrameError(`a frame header of ${headerBytes} bytes (at most ${this.maxHeaderBytes})`);
        }
        if (this.#buffered < PREFIX_BYTES + headerBytes) return frames;
        this.#take(PREFIX_BYTES);
        const header = parseHeader(this.#take(headerBytes));
        this.#open = { header, payloadBytes };
        if (payloadBytes > this.maxPayloadBytes) {
          this.#open = { header, payload: undefined, oversize: payloadBytes };
          const skipped = Math.min(payloadBytes, this.#buffered);
          this.#take(skipped);
          this.#skipping = payloadBytes - skipped;
          if (this.#skipping > 0) return frames;
          frames.push(this.#open);
          this.#open = undefined;
          continue;
        }
      }
      const { header, payloadBytes } = this.#open;
      if (this.#buffered < payloadBytes) return frames;
      frames.push({ header, payload: this.#take(payloadBytes) });
      this.#open = undefined;
    }
  }

  #peek(bytes) {
    const first = this.#chunks[0];
    if (first.length >= bytes) return first.subarray(0, bytes);
    return Buffer.concat(this.#chunks).subarray(0, bytes);
  }

  #take(bytes) {
    if (bytes === 0) return EMPTY;
    const first = this.#chunks[0];
    let taken;
    if (first.length > bytes) {
      taken = first.subarray(0, bytes);
      this.#chunks[0] = first.subarray(bytes);
    } else if (first.length === bytes) {
      taken = first;
      this.#chunks.shift();
    } else {
      const all = Buffer.concat(this.#chunks);
      taken = all.subarray(0, bytes);
      this.#chunks = all.length > bytes ? [all.subarray(bytes)] : [];
    }
    this.#buffered -= bytes;
    return taken;
  }
}

function parseHeader(bytes) {
  let header;
  try {
    header = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new FrameError(`a frame header that is not JSON (${error.message})`);
  }
  if (header === null || typeof header !== 'object' || typeof header.type !== 'string') {
    throw new FrameError('a frame header without a type');
  }
  return header;
}
