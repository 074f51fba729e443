// A real NATS token responder for tests of what asks auth for tokens (the client's cache, the
// engine's auth-event trigger).
import { z } from "zod";
import { Logger } from "../log/mod.ts";
import { natsCatalog, serveRpc } from "../nats/mod.ts";
import { connectTestNats, testNatsPrefix } from "../testing/mod.ts";
import { AuthClient } from "./client.ts";

/** A real NATS token responder counting the requests; `lifetimeMs` sets each token's expiry. */
export async function withAuth(lifetimeMs: number, fn: (auth: AuthClient, asked: () => string[]) => Promise<void>) {
  const nc = await connectTestNats();
  const catalog = natsCatalog(testNatsPrefix("authclient"));
  const asked: string[] = [];
  const sub = serveRpc({
    nc,
    subject: catalog.subjects.auth.rpc.tokenGet,
    queue: "test",
    request: z.object({ tenantId: z.string(), userId: z.string() }),
    logger: new Logger("test"),
    handler: ({ tenantId, userId }) => {
      asked.push(`${tenantId}/${userId}`);
      return Promise.resolve({
        accessToken: `tok-${tenantId}-${userId}-${asked.length}`,
        expiresAt: new Date(Date.now() + lifetimeMs).toISOString(),
        graphBaseUrl: "https://graph.example.test/v1.0",
      });
    },
  });
  try {
    await fn(new AuthClient(nc, catalog), () => [...asked]);
  } finally {
    sub.unsubscribe();
    await nc.drain();
  }
}
