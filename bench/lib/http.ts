import net from 'node:net';

/**
 * The keep-alive HTTP/1.1 client of the scenarios autocannon cannot express (each virtual buyer
 * has its own session, idempotency keys and follow-up requests).
 *
 * It writes each request as one buffer on a plain socket and reads the answer with a small
 * parser, as autocannon does for H, instead of going through `node:http`: the load generator
 * shares the machine's two cores with the API it measures, and with `node:http`'s client (request
 * and response objects, streams, header objects, the agent's bookkeeping) it took ≈ 127–160 µs
 * of CPU per request against ≈ 60 µs now (docs/BENCHMARKS.md, item 38; undici was dearer still).
 * One request at a time per connection; idle connections are reused per origin, like
 * `http.Agent` with keep-alive.
 */
export type TResponse = { status: number; body: unknown; ms: number };

type TMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type TPending = { resolve: (r: TResponse) => void; reject: (e: Error) => void; started: number };

const CRLF2 = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/** Reads one response from `buffer`; null while it is incomplete. */
export function parseResponse(
  buffer: Buffer,
): { status: number; body: Buffer; length: number; close: boolean } | null {
  const headEnd = buffer.indexOf(CRLF2);
  if (headEnd < 0) return null;
  const head = buffer.toString('latin1', 0, headEnd);
  const status = Number(head.slice(9, 12));
  if (!head.startsWith('HTTP/1.') || !Number.isInteger(status))
    throw new Error(`not an HTTP/1.x response: ${JSON.stringify(head.slice(0, 40))}`);
  let contentLength = -1;
  let chunked = false;
  let close = head.startsWith('HTTP/1.0');
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') contentLength = Number(value);
    else if (name === 'transfer-encoding') chunked = value.toLowerCase().includes('chunked');
    else if (name === 'connection') close = value.toLowerCase() === 'close';
  }
  const bodyStart = headEnd + 4;
  if (status === 204 || status === 304 || (status >= 100 && status < 200))
    return { status, body: Buffer.alloc(0), length: bodyStart, close };
  if (chunked) {
    const parts: Buffer[] = [];
    let at = bodyStart;
    for (;;) {
      const lineEnd = buffer.indexOf(CRLF, at);
      if (lineEnd < 0) return null;
      const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
      if (!Number.isInteger(size)) throw new Error('bad chunk size');
      if (size === 0) {
        // Trailers (none expected) end with an empty line.
        const end = buffer.indexOf(CRLF2, lineEnd);
        if (end < 0) return null;
        return { status, body: Buffer.concat(parts), length: end + 4, close };
      }
      if (buffer.length < lineEnd + 2 + size + 2) return null;
      parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  if (contentLength < 0)
    throw new Error(`response ${status} has neither Content-Length nor chunked encoding`);
  if (buffer.length < bodyStart + contentLength) return null;
  return {
    status,
    body: buffer.subarray(bodyStart, bodyStart + contentLength),
    length: bodyStart + contentLength,
    close,
  };
}

class Connection {
  private readonly socket: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: TPending | null = null;
  isOpen = true;

  constructor(
    host: string,
    port: number,
    private readonly onIdle: (c: Connection) => void,
  ) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('connection closed')));
  }

  send(request: Buffer, pending: TPending) {
    this.pending = pending;
    this.socket.write(request);
  }

  destroy() {
    this.isOpen = false;
    this.socket.destroy();
    all.delete(this);
  }

  private read(chunk: Buffer) {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let parsed;
    try {
      parsed = parseResponse(this.buffer);
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    if (!parsed) return;
    const pending = this.pending;
    if (!pending || parsed.length !== this.buffer.length) {
      this.fail(new Error('unexpected bytes from the server'));
      return;
    }
    this.pending = null;
    this.buffer = Buffer.alloc(0);
    const text = parsed.body.toString('utf8');
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON; keep the text
    }
    if (parsed.close) this.destroy();
    else this.onIdle(this);
    pending.resolve({ status: parsed.status, body, ms: performance.now() - pending.started });
  }

  private fail(error: Error) {
    this.destroy();
    const pending = this.pending;
    this.pending = null;
    pending?.reject(error);
  }
}

const idle = new Map<string, Connection[]>();
const all = new Set<Connection>();

function connectionFor(url: URL): Connection {
  const free = idle.get(url.host);
  while (free?.length) {
    const connection = free.pop();
    if (connection?.isOpen) return connection;
  }
  const connection = new Connection(url.hostname, Number(url.port || 80), (c) => {
    if (!c.isOpen) return;
    const list = idle.get(url.host) ?? [];
    list.push(c);
    idle.set(url.host, list);
  });
  all.add(connection);
  return connection;
}

export function request(
  baseUrl: string,
  method: TMethod,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<TResponse> {
  const url = new URL(path, baseUrl);
  const payload =
    options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  let head = `${method} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`;
  for (const [name, value] of Object.entries(options.headers ?? {}))
    head += `${name}: ${value}\r\n`;
  if (options.token) head += `Authorization: Bearer ${options.token}\r\n`;
  if (payload) head += `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n`;
  else if (method !== 'GET' && method !== 'DELETE') head += 'Content-Length: 0\r\n';
  const bytes = Buffer.from(`${head}\r\n`, 'latin1');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    connectionFor(url).send(payload ? Buffer.concat([bytes, payload]) : bytes, {
      resolve,
      reject,
      started,
    });
  });
}

/** Closes every connection, idle or not (at the end of a run). */
export function closeConnections() {
  for (const connection of all) connection.destroy();
  all.clear();
  idle.clear();
}
