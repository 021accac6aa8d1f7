/**
 * A closed-loop HTTP load generator for shutdown tests: `connections` loops over keep-alive
 * sockets, each sending its next request as soon as the previous one is answered, and a
 * record of what happened to every request that was written. A refused connection
 * (ECONNREFUSED) ends a loop: the request never reached the server. Any other error on a
 * request that was sent is a request cut in flight.
 */
import { Agent, request } from 'node:http';

export interface LoadResult {
  /** Status code -> count. */
  answered: Record<number, number>;
  refused: number;
  /** Error codes of requests cut in flight. */
  cut: string[];
}

export function startLoad(url: string, opts: { connections: number; path: string; body: unknown }) {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  const result: LoadResult = { answered: {}, refused: 0, cut: [] };
  const payload = JSON.stringify(opts.body);
  let stopping = false;
  const once = () =>
    new Promise<boolean>((resolve) => {
      const req = request(`${url}${opts.path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          result.answered[status] = (result.answered[status] ?? 0) + 1;
          resolve(true);
        });
        res.on('error', (err: NodeJS.ErrnoException) => {
          result.cut.push(`response: ${err.code ?? err.message}`);
          resolve(false);
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ECONNREFUSED') result.refused++;
        else result.cut.push(err.code ?? err.message);
        resolve(false);
      });
      req.end(payload);
    });
  const loop = async () => {
    while (!stopping && (await once()));
  };
  const loops = Array.from({ length: opts.connections }, loop);
  return {
    result,
    /** Resolves when every loop has ended (call `stop` or end the server). */
    done: Promise.all(loops).then(() => {
      agent.destroy();
      return result;
    }),
    stop() {
      stopping = true;
    },
  };
}
