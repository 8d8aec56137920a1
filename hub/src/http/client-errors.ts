/**
 * Requests Node's HTTP parser refuses before Express sees them: a header block above `maxHeaderSize`
 * (16 KiB by default), a request line or header that is not HTTP, a request that took too long to arrive.
 * Node answers these itself with a bare status line and no body; the `clientError` handler answers them as
 * every other refusal is answered, with a problem+json body, then closes the connection (the parser cannot
 * go on after such an error). Two kinds of request Node would also answer itself, without a body or not at
 * all, are answered the same way: a CONNECT (405: no tunnels here) and an `Expect` other than `100-continue`
 * (417).
 */
import { maxHeaderSize, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Duplex } from 'node:stream';
import { HttpProblem, PROBLEM_CONTENT_TYPE, type ProblemSlug } from './problem';

const REASON: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** Answers the server's client errors with problem+json. */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!canAnswer(socket)) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(error));
  });
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    const problem = new HttpProblem('method-not-allowed', `${req.method ?? 'CONNECT'} is not served here`);
    socket.end(rawResponse(problem, req.url));
  });
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const problem = new HttpProblem(
      'expectation-failed',
      `cannot meet Expect: ${String(req.headers.expect).slice(0, 100)}; only 100-continue is met`,
    );
    const body = JSON.stringify(problem.toProblem(req.url));
    res.writeHead(problem.status, {
      'Content-Type': PROBLEM_CONTENT_TYPE,
      'Content-Length': Buffer.byteLength(body),
      Connection: 'close',
    });
    res.end(body);
  });
}

/** The whole HTTP response to a client error (status line, headers, problem body). */
export function clientErrorResponse(error: NodeJS.ErrnoException): string {
  return rawResponse(problemOf(error));
}

function rawResponse(problem: HttpProblem, instance?: string): string {
  const body = JSON.stringify(problem.toProblem(instance?.slice(0, 200)));
  return (
    `HTTP/1.1 ${problem.status} ${REASON[problem.status] ?? 'Bad Request'}\r\n` +
    `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

function problemOf(error: NodeJS.ErrnoException): HttpProblem {
  const slug = slugOf(error.code);
  if (slug === 'request-header-fields-too-large') {
    return new HttpProblem(slug, `the request headers are larger than ${maxHeaderSize} bytes`, {
      limit: maxHeaderSize,
    });
  }
  if (slug === 'request-timeout') {
    return new HttpProblem(slug, 'the request did not arrive in time');
  }
  return new HttpProblem(slug, `the request could not be parsed as HTTP (${error.code ?? error.message})`);
}

function slugOf(code: string | undefined): ProblemSlug {
  if (code === 'HPE_HEADER_OVERFLOW') return 'request-header-fields-too-large';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'request-timeout';
  return 'bad-request';
}

/** A socket still open, on which no response has started (Node's own condition for answering). */
function canAnswer(socket: Duplex): boolean {
  const current = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  return socket.writable && current?.headersSent !== true;
}
