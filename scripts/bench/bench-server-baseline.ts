/**
 * bench:server's baseline: an express hello-world that parses the same JSON body with the same
 * body-parser limit as `radio-mtl serve` (express.json, strict) and answers a small JSON (the
 * number of windows it read). Prints `listening on URL` once it accepts connections.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { intOpt, readScriptOptions } from '../shared/lib.js';

readScriptOptions({
  name: 'scripts/bench/bench-server-baseline.ts',
  summary: "An express hello-world parsing JSON bodies as radio-mtl serve does, on 127.0.0.1: bench:server's baseline.",
  options: { limit: { value: 'BYTES', help: 'the body limit (default 1048576, the server\'s default)' } },
});

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(express.json({ limit: intOpt('limit', 1024 * 1024), strict: true, type: () => true }), (req, res) => {
  const windows = (req.body as { windows?: unknown[] } | undefined)?.windows;
  res.json({ windows: Array.isArray(windows) ? windows.length : 0 });
});
const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
