/**
 * Runs in a child process so that load generation never shares an event loop with the server measured:
 *   forked with an IPC channel, sent its options as the one message  ->  prints one JSON line:
 *   { rps, p50, p99, errors, non2xx, total }
 * Options: { url, connections, durationSeconds, bodies?: string[] } (bodies are POSTed round robin as JSON).
 */
import autocannon from 'autocannon';

interface Options {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly bodies?: readonly string[];
}

async function main(): Promise<void> {
  const options = await new Promise<Options>((resolve) =>
    process.once('message', (m) => resolve(m as Options)),
  );
  let next = 0;
  const bodies = options.bodies;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(bodies
      ? {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          requests: [
            {
              setupRequest: (request: autocannon.Request) => ({
                ...request,
                body: bodies[next++ % bodies.length],
              }),
            },
          ],
        }
      : {}),
  });
  process.disconnect();
  process.stdout.write(
    `${JSON.stringify({
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors,
      non2xx: result.non2xx,
      total: result.requests.total,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
