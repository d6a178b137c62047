// One HTTP request of the load test, timed to its last byte, over a keep-alive agent shared by every client.
import { Agent, request } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Milliseconds from sending to the last byte of the body. */
  millis: number;
}

/** A keep-alive agent with one socket per client, as that many browsers would hold. */
export function clientAgent(clients: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients });
}

/** GET (or HEAD) `url` with `headers`; rejects on a network error or after `timeoutMs` without an answer. */
export function fetchTimed(
  url: string,
  options: { agent: Agent; headers?: Record<string, string>; method?: 'GET' | 'HEAD'; timeoutMs?: number },
): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent: options.agent, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('the response was aborted')));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            millis: performance.now() - started,
          }),
        );
      },
    );
    req.setTimeout(options.timeoutMs ?? 30_000, () =>
      req.destroy(new Error(`no answer in ${options.timeoutMs ?? 30_000} ms`)),
    );
    req.on('error', reject);
    req.end();
  });
}
