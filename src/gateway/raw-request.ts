import { connect } from 'node:net';

/** What came back for one raw request: the status (0 when none), headers and body text. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends bytes as they are over a fresh TCP connection and reads one HTTP/1.1 answer (until the
 * server closes, the answer is complete, or `timeoutMs`): for tests that need requests no HTTP
 * client would send (bad request lines, Host tricks, lying Content-Length).
 */
export function rawRequest(
  url: string,
  bytes: string | Buffer,
  timeoutMs = 5_000,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname);
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseAnswer(Buffer.concat(chunks).toString('utf8')));
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const answer = parseAnswer(Buffer.concat(chunks).toString('utf8'));
      const length = Number(answer.headers['content-length'] ?? Number.NaN);
      if (answer.status > 0 && Buffer.byteLength(answer.body) >= length) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
  });
}

function parseAnswer(text: string): RawAnswer {
  const end = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/1.1 ') || end < 0) return { status: 0, headers: {}, body: '' };
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = text.slice(end + 4);
  if (headers['transfer-encoding'] === 'chunked') body = unchunk(body);
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

function unchunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    if (lineEnd < 0) return out;
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (!Number.isFinite(size) || size === 0) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

/** Whether `body` is an error in the OpenAI or the Anthropic SDK's shape. */
export function isSdkErrorBody(body: string): boolean {
  try {
    const value = JSON.parse(body) as {
      type?: unknown;
      error?: { message?: unknown; type?: unknown; code?: unknown };
    };
    if (typeof value.error?.message !== 'string' || typeof value.error.type !== 'string')
      return false;
    return value.type === 'error' || 'code' in value.error;
  } catch {
    return false;
  }
}
