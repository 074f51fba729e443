// Private Postgres and NATS servers for tests that must stop and restart them; the shared
// instances (127.0.0.1:5432 and :4222) are never touched.
import { freePort } from "./infra.ts";
import { waitFor } from "./wait.ts";

const PG_BIN = "/usr/lib/postgresql/15/bin";

/** A server of the test's own that can be stopped and started again on the same port and data. */
export interface PrivateServer extends AsyncDisposable {
  url: string;
  port: number;
  /** Stops the server (fast shutdown: sessions are cut off, as in a real restart). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
}

async function run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    const d = new TextDecoder();
    throw new Error(`${cmd} ${args.join(" ")} failed: ${d.decode(out.stdout)}${d.decode(out.stderr)}`.slice(0, 2_000));
  }
}

// initdb and postgres refuse to run as root: as root they run as the `postgres` user.
const asPostgres = (bin: string, args: string[]): [string, string[]] =>
  Deno.uid() === 0 ? ["runuser", ["-u", "postgres", "--", `${PG_BIN}/${bin}`, ...args]] : [`${PG_BIN}/${bin}`, args];

async function portAccepts(port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Initialises a throw-away Postgres 15 cluster in a temp directory (trust auth, user `postgres`)
 * and starts it on a free port. Disposing it stops it and removes the directory.
 */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  const dir = await Deno.makeTempDir({ prefix: "crmsync-pg-" });
  if (Deno.uid() === 0) await run("chown", ["postgres:postgres", dir]);
  await run(...asPostgres("initdb", ["-D", dir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]));
  const port = freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const server: PrivateServer = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await run(...asPostgres("pg_ctl", ["-D", dir, "-l", `${dir}/server.log`, "-o", options, "-w", "start"]));
    },
    async stop() {
      await run(...asPostgres("pg_ctl", ["-D", dir, "-m", "fast", "-w", "stop"]));
    },
    async [Symbol.asyncDispose]() {
      await server.stop().catch(() => {});
      await Deno.remove(dir, { recursive: true });
    },
  };
  await server.start();
  return server;
}

/**
 * Starts a private `nats-server -js` on a free port with its JetStream store in a temp directory
 * (kept across restarts, as a real server's is). Disposing it stops it and removes the directory.
 */
export async function startPrivateNats(): Promise<PrivateServer> {
  const dir = await Deno.makeTempDir({ prefix: "crmsync-nats-" });
  const port = freePort();
  let child: Deno.ChildProcess | undefined;
  const server: PrivateServer = {
    url: `nats://127.0.0.1:${port}`,
    port,
    async start() {
      child = new Deno.Command("nats-server", {
        args: ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", dir],
        stdout: "null",
        stderr: "null",
      }).spawn();
      let exited = false;
      child.status.then(() => (exited = true));
      await waitFor(`nats-server on port ${port}`, async () => {
        if (exited) throw new Error("nats-server exited at start");
        return await portAccepts(port);
      });
    },
    async stop() {
      if (!child) return;
      const c = child;
      child = undefined;
      c.kill("SIGTERM");
      await c.status;
    },
    async [Symbol.asyncDispose]() {
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
  await server.start();
  return server;
}
