// Why: a SourceBuffer takes one append or remove at a time; this queue feeds it in arrival order and never while it is updating.

/** The part of SourceBuffer the queue uses, so tests can drive a fake. */
export interface SourceBufferLike {
  readonly updating: boolean;
  appendBuffer(data: BufferSource): void;
  remove(start: number, end: number): void;
  addEventListener(type: 'updateend' | 'error', listener: () => void): void;
  removeEventListener(type: 'updateend' | 'error', listener: () => void): void;
}

export type QueueOp = { kind: 'append'; data: ArrayBuffer } | { kind: 'remove'; start: number; end: number };

export interface AppendQueueOptions {
  /** Bytes waiting to be appended past which the queue gives up (the viewer is hopelessly behind). */
  maxPendingBytes?: number;
  /** An append or remove threw (QuotaExceededError, InvalidStateError, ...) or the buffer fired `error`. */
  onError?: (err: unknown, op: QueueOp | null) => void;
  /** The queue dropped everything because maxPendingBytes was passed. */
  onOverflow?: (pendingBytes: number) => void;
  /** After each finished append or remove. */
  onUpdateEnd?: () => void;
}

export class AppendQueue {
  private readonly opts: AppendQueueOptions;
  private readonly ops: QueueOp[] = [];
  private sb: SourceBufferLike | null = null;
  private inFlight: QueueOp | null = null;
  private bytes = 0;
  private closed = false;
  private readonly handleUpdateEnd = () => {
    this.inFlight = null;
    this.opts.onUpdateEnd?.();
    this.pump();
  };
  private readonly handleError = () => {
    const op = this.inFlight;
    this.inFlight = null;
    this.opts.onError?.(new Error('SourceBuffer error'), op);
  };

  constructor(opts: AppendQueueOptions = {}) {
    this.opts = opts;
  }

  /** Bytes queued but not yet handed to the SourceBuffer. */
  get pendingBytes(): number {
    return this.bytes;
  }

  get length(): number {
    return this.ops.length;
  }

  /** Start feeding `sb`; whatever arrived before it existed (the init segment, early fragments) goes first. */
  attach(sb: SourceBufferLike): void {
    if (this.closed) return;
    this.detachBuffer();
    this.sb = sb;
    sb.addEventListener('updateend', this.handleUpdateEnd);
    sb.addEventListener('error', this.handleError);
    this.pump();
  }

  append(data: ArrayBuffer): void {
    if (this.closed) return;
    this.ops.push({ kind: 'append', data });
    this.bytes += data.byteLength;
    const max = this.opts.maxPendingBytes;
    if (max !== undefined && this.bytes > max) {
      const had = this.bytes;
      this.clear();
      this.opts.onOverflow?.(had);
      return;
    }
    this.pump();
  }

  /** Queue a removal of [start, end) seconds; it runs after the appends queued before it. */
  remove(start: number, end: number): void {
    if (this.closed || !(end > start)) return;
    // One pending trim is enough: a newer one covers the older.
    const last = this.ops[this.ops.length - 1];
    if (last?.kind === 'remove') {
      last.start = Math.min(last.start, start);
      last.end = Math.max(last.end, end);
    } else {
      this.ops.push({ kind: 'remove', start, end });
    }
    this.pump();
  }

  /** Drop everything not yet handed over (an op in flight finishes by itself). */
  clear(): void {
    this.ops.length = 0;
    this.bytes = 0;
  }

  /** Stop for good: drop the queue and let go of the SourceBuffer. */
  close(): void {
    this.closed = true;
    this.clear();
    this.detachBuffer();
  }

  private detachBuffer(): void {
    if (!this.sb) return;
    this.sb.removeEventListener('updateend', this.handleUpdateEnd);
    this.sb.removeEventListener('error', this.handleError);
    this.sb = null;
    this.inFlight = null;
  }

  private pump(): void {
    const sb = this.sb;
    while (sb && !this.closed && !this.inFlight && !sb.updating && this.ops.length > 0) {
      const op = this.ops.shift()!;
      if (op.kind === 'append') this.bytes -= op.data.byteLength;
      this.inFlight = op;
      try {
        if (op.kind === 'append') sb.appendBuffer(op.data);
        else sb.remove(op.start, op.end);
      } catch (e) {
        // Nothing started, so no updateend will come: report and go on with the next op.
        this.inFlight = null;
        this.opts.onError?.(e, op);
        if (this.closed || this.sb !== sb) return;
      }
    }
  }
}
