/**
 * The bare Express 5 JSON route of `http.baseline.rps`, in its own process: POST /verify parses the JSON body
 * and answers a small JSON object. Prints `listening <port>` when ready.
 */
import express from 'express';

const app = express();
app.use(express.json());
app.post('/verify', (req, res) => {
  res.json({ sha256: (req.body as { sha256?: string }).sha256 ?? null, anchored: false, matches: [] });
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
