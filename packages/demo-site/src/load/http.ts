// One HTTP request of the load test, timed to its last byte, over a keep-alive agent shared by every client.
import { Agent, request } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Milliseconds from sending to the last byte of the body (to the first chunk of an abandoned one). */
  millis: number;
}

/** A keep-alive agent with one socket per client, as that many browsers would hold. */
export function clientAgent(clients: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: clients, maxFreeSockets: clients });
}

export interface FetchOptions {
  agent: Agent;
  headers?: Record<string, string>;
  method?: 'GET' | 'HEAD';
  timeoutMs?: number;
  /** Destroy the connection once the first chunk of the body arrived (a visitor leaving), resolving with it. */
  abandon?: boolean;
}

/**
 * GET (or HEAD) `url` with `headers`; rejects on a network error or after `timeoutMs` without an answer (once
 * settled, the errors of a connection abandoned on purpose are ignored).
 */
export function fetchTimed(url: string, options: FetchOptions): Promise<Reply> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent: options.agent, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        const reply = (): Reply => ({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          millis: performance.now() - started,
        });
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          if (!options.abandon) return;
          resolve(reply());
          req.destroy();
        });
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('the response was aborted')));
        res.on('end', () => resolve(reply()));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
