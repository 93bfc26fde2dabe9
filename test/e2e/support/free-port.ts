// A free TCP port on 127.0.0.1 for a private server: the kernel picks one for a moment's listener.
// Never the machine's own PostgreSQL (5432) or Redis (6379), which a test must not touch.
import { createServer } from 'node:net';

const RESERVED = new Set([5432, 6379]);

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const chosen = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolve(chosen));
      });
    });
    if (!RESERVED.has(port)) return port;
  }
}
