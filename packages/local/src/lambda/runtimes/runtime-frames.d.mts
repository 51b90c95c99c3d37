/** Types of runtime-frames.mjs (plain ESM, shared with the Node runtime's bootstrap). */
export interface FrameHeader {
  type: string;
  [field: string]: unknown;
}

export interface Frame {
  header: FrameHeader;
  /** `undefined` when the payload was over the reader's limit (then `oversize` is its length). */
  payload: Buffer | undefined;
  oversize?: number;
}

export function encodeFrame(header: FrameHeader, payload?: string | Buffer): Buffer;

export class FrameError extends Error {}

export class FrameReader {
  constructor(limits: { maxHeaderBytes: number; maxPayloadBytes: number });
  readonly maxHeaderBytes: number;
  readonly maxPayloadBytes: number;
  push(chunk: Buffer): Frame[];
}
