import http from 'node:http';

export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

/**
 * A minimal Server-Sent Events client over a real socket (app.inject cannot stream):
 * collects parsed events, lets a test wait for N of them, and disconnect at will.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  status = 0;
  /** True once the server has ended the response. */
  ended = false;
  private req: http.ClientRequest | null = null;
  private waiters: { n: number; resolve: () => void }[] = [];

  static open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        client.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            client.parse(block);
          }
        });
        res.on('end', () => {
          client.ended = true;
        });
        res.on('error', () => undefined);
        resolve(client);
      });
      req.on('error', reject);
      client.req = req;
    });
  }

  private parse(block: string): void {
    let id: string | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const i = line.indexOf(':');
      const field = i === -1 ? line : line.slice(0, i);
      const value = i === -1 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    this.events.push({ id, event, data: data.join('\n') });
    this.waiters = this.waiters.filter((w) => {
      if (this.events.length >= w.n) {
        w.resolve();
        return false;
      }
      return true;
    });
  }

  /** Resolves when at least `n` events have arrived; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs = 5000): Promise<void> {
    if (this.events.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${n} events (have ${this.events.length})`)), timeoutMs);
      this.waiters.push({
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  close(): void {
    this.req?.destroy();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
