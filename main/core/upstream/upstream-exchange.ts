// One HTTP exchange with an upstream, over undici's dispatch API. undici's `request()` wraps every
// answer in a Readable stream, an async resource and a promise chain; an MCP answer is read once,
// in order, as it arrives, so here the body's chunks go straight to whoever reads them. This runs
// for every forwarded call, and the stream machinery cost more than Gatehouse's own work on it.
import type { Dispatcher } from 'undici';

export type ReplyHeaders = Dispatcher.ResponseData['headers'];

/** Receives a body's chunks in order, then `end` exactly once (with the error that cut it short). */
export interface BodyReader {
  data(chunk: Buffer): void;
  end(error?: Error): void;
}

/** Stops an exchange: before the answer's head it rejects the reply, after it ends the body with `reason`. */
export interface Abortable {
  abort(reason: Error): void;
}

/** An answer whose status and headers have arrived. Its body is read once, by one of the methods below. */
export class UpstreamReply {
  constructor(
    readonly statusCode: number,
    readonly headers: ReplyHeaders,
    private readonly exchange: Exchange,
  ) {}

  header(name: string): string | undefined {
    const v = this.headers[name];
    return Array.isArray(v) ? v[0] : v;
  }

  read(reader: BodyReader): void {
    this.exchange.attach(reader);
  }

  text(): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      this.read({
        data: (chunk) => chunks.push(chunk),
        end: (error) => (error ? reject(error) : resolve(Buffer.concat(chunks).toString('utf8'))),
      });
    });
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  /**
   * Reads and drops the body, so the connection goes back to the pool; never rejects. Like undici's
   * own dump, a body past DUMP_LIMIT is not worth reading: the exchange (and its connection) ends.
   */
  dump(): Promise<void> {
    return new Promise((resolve) => {
      let size = 0;
      this.read({
        data: (chunk) => {
          size += chunk.length;
          if (size > DUMP_LIMIT) this.exchange.abort(new Error('an upstream answer too large to drop was cut off'));
        },
        end: () => resolve(),
      });
    });
  }
}

const DUMP_LIMIT = 128 * 1024;

export interface ExchangeOptions {
  /** Aborts the exchange when it fires; removed once the exchange ends. */
  signal?: AbortSignal | undefined;
  /** Told when the exchange starts and when it ends, so its owner can abort every exchange still open. */
  inflight?: Set<Abortable> | undefined;
}

/** Sends one request; resolves once the answer's head is in (1xx heads are skipped). */
export function exchange(dispatcher: Dispatcher, request: Dispatcher.DispatchOptions, options: ExchangeOptions = {}): Promise<UpstreamReply> {
  return new Promise<UpstreamReply>((resolve, reject) => {
    const handler = new Exchange(resolve, reject, options);
    if (handler.settled) return;
    dispatcher.dispatch(request, handler);
  });
}

const NO_CHUNKS: Buffer[] = [];
const NOTHING = (): void => {};
/** Stands for the reader once the body has been handed over in full. */
const READ_OUT: BodyReader = { data: NOTHING, end: NOTHING };

/**
 * The handler undici drives. Once settled it lets go of everything the caller gave it (promise
 * callbacks, reader, signal): an exchange is briefly kept in its owner's in-flight set, and V8 keeps
 * a set's old table, with the members it held, until the next full collection. A settled exchange
 * that still pointed at its call would keep that whole call alive there, and promote it.
 */
class Exchange implements Dispatcher.DispatchHandler, Abortable {
  settled = false;
  private resolve: (reply: UpstreamReply) => void;
  private reject: (error: Error) => void;
  private signal: AbortSignal | undefined;
  private inflight: Set<Abortable> | undefined;
  private onAbort: (() => void) | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private abortReason: Error | undefined;
  private replied = false;
  private reader: BodyReader | undefined;
  /** Chunks that came before anyone read the body (head and first chunk usually share a packet). */
  private early: Buffer[] = NO_CHUNKS;
  /** Set when the body ended before anyone read it. */
  private ending: { error: Error | undefined } | undefined;

  constructor(resolve: (reply: UpstreamReply) => void, reject: (error: Error) => void, { signal, inflight }: ExchangeOptions) {
    this.resolve = resolve;
    this.reject = reject;
    if (signal?.aborted) {
      this.settled = true;
      reject(reasonOf(signal));
      return;
    }
    if (signal) {
      this.signal = signal;
      this.onAbort = () => this.abort(reasonOf(signal));
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
    this.inflight = inflight;
    inflight?.add(this);
  }

  abort(reason: Error): void {
    if (this.settled) return;
    if (this.controller) {
      // undici answers with onResponseError, which settles everything below.
      this.controller.abort(reason);
      return;
    }
    // Still queued for a connection: undici aborts it when it is about to be written.
    this.abortReason ??= reason;
    if (!this.replied) this.finish(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.abortReason) return controller.abort(this.abortReason);
    if (!this.settled) this.controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: ReplyHeaders): void {
    if (statusCode < 200 || this.settled) return;
    this.replied = true;
    this.resolve(new UpstreamReply(statusCode, headers, this));
    this.resolve = NOTHING;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.reader) {
      if (this.early === NO_CHUNKS) this.early = [chunk];
      else this.early.push(chunk);
      return;
    }
    try {
      this.reader.data(chunk);
    } catch (error) {
      // A reader that cannot take a chunk ends the exchange with its error.
      controller.abort(asError(error));
    }
  }

  onResponseEnd(): void {
    this.finish(undefined);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.finish(error);
  }

  attach(reader: BodyReader): void {
    if (this.reader) throw new Error('an upstream answer body can be read only once');
    this.reader = reader;
    const early = this.early;
    this.early = NO_CHUNKS;
    let failure: Error | undefined;
    try {
      for (const chunk of early) reader.data(chunk);
    } catch (error) {
      failure = asError(error);
    }
    if (this.ending) {
      this.reader = READ_OUT;
      reader.end(failure ?? this.ending.error);
    } else if (failure) {
      this.abort(failure);
    }
  }

  private finish(error: Error | undefined): void {
    if (this.settled) return;
    this.settled = true;
    const { reject, reader } = this;
    this.inflight?.delete(this);
    if (this.onAbort) this.signal!.removeEventListener('abort', this.onAbort);
    this.inflight = this.signal = this.onAbort = this.controller = undefined;
    this.resolve = this.reject = NOTHING;
    if (!this.replied) return reject(error ?? new Error('the upstream closed the connection without answering'));
    if (reader) {
      this.reader = READ_OUT;
      reader.end(error);
    } else {
      this.ending = { error };
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function reasonOf(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}
