#!/usr/bin/env node
// Start-up (and shutdown) times of the testkit's servers: one JSON line per case with the median of a few
// runs. Runs against the built library: `npm run -w testkit build && node bench/startup.mjs [runs]`.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { startMariaDb, startNatsServer } = require('../dist/index.js');
const runs = Number(process.argv[2] ?? 5);

async function time(work) {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function report(name, samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const round = (ms) => Math.round(ms);
  console.log(
    JSON.stringify({ bench: `testkit.${name}`, median_ms: round(median), samples_ms: samples.map(round) }),
  );
}

/** Times `start` and then `kill()` + `restart()` and `stop()` of what it started, `runs` times. */
async function measure(name, start) {
  const starts = [];
  const restarts = [];
  const stops = [];
  for (let i = 0; i < runs; i++) {
    let server;
    starts.push(await time(async () => (server = await start())));
    restarts.push(
      await time(async () => {
        await server.kill();
        await server.restart();
      }),
    );
    stops.push(await time(() => server.stop()));
  }
  report(`${name}.start`, starts);
  report(`${name}.kill-restart`, restarts);
  report(`${name}.stop`, stops);
}

await startMariaDb().then((warm) => warm.stop()); // build the template once, outside the measurements
await measure('nats', () => startNatsServer());
await measure('mariadb.template', () => startMariaDb());
await measure('mariadb.install-db', () => startMariaDb({ templateCache: false }));
