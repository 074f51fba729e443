// Finds or starts the Postgres and NATS (with JetStream) that `start` and `test` need.
// Order: DATABASE_URL / NATS_URL when set; otherwise 127.0.0.1 on the default ports; otherwise
// start them (installing Debian's postgresql / nats-server when missing and running as root);
// otherwise stop with an error that says what to do.
import postgres from "postgres";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";

export interface Infra {
  databaseUrl: string;
  natsUrl: string;
  /** Stops what this process started (nothing when it found them running). */
  stop(): Promise<void>;
}

type Say = (msg: string) => void;

export async function ensureInfra(root: string, say: Say): Promise<Infra> {
  const stops: Array<() => Promise<void>> = [];
  const databaseUrl = await ensurePostgres(say);
  const nats = await ensureNats(root, say);
  if (nats.stop) stops.push(nats.stop);
  return { databaseUrl, natsUrl: nats.url, stop: async () => void await Promise.all(stops.map((s) => s())) };
}

async function canQuery(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

async function portOpen(port: number): Promise<boolean> {
  try {
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    c.close();
    return true;
  } catch {
    return false;
  }
}

async function run(cmd: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const dec = new TextDecoder();
    return { ok: r.success, out: dec.decode(r.stdout) + dec.decode(r.stderr) };
  } catch (err) {
    return { ok: false, out: String(err) };
  }
}

async function which(bin: string, extra: string[] = []): Promise<string | undefined> {
  for (const dir of [...(Deno.env.get("PATH") ?? "").split(":"), ...extra]) {
    try {
      const p = `${dir}/${bin}`;
      const st = await Deno.stat(p);
      if (st.isFile) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

const isRoot = () => Deno.uid?.() === 0;

async function aptInstall(pkg: string, say: Say): Promise<boolean> {
  if (!isRoot() || !(await which("apt-get"))) return false;
  say(`installing Debian package ${pkg} ...`);
  const env = ["-y", "-q", "-o", "Dpkg::Options::=--force-confold"];
  const upd = await run("apt-get", ["update", "-q"]);
  if (!upd.ok) say(`apt-get update failed: ${upd.out.slice(-300)}`);
  const r = await run("env", ["DEBIAN_FRONTEND=noninteractive", "apt-get", "install", ...env, pkg]);
  if (!r.ok) say(`apt-get install ${pkg} failed: ${r.out.slice(-500)}`);
  return r.ok;
}

async function ensurePostgres(say: Say): Promise<string> {
  const given = Deno.env.get("DATABASE_URL");
  if (given) {
    const server = new URL(given);
    server.pathname = "/postgres"; // the named database may not exist yet; services create it
    if (await canQuery(server.toString())) return given;
    throw new Error(`DATABASE_URL is set but Postgres does not answer there; start it or fix DATABASE_URL`);
  }
  const candidates = [
    "postgres://postgres@127.0.0.1:5432/postgres",
    "postgres://postgres:postgres@127.0.0.1:5432/postgres",
  ];
  for (const url of candidates) if (await canQuery(url)) return url;
  if (!(await portOpen(5432))) {
    if (!(await which("pg_ctlcluster"))) await aptInstall("postgresql", say);
    if (await which("pg_ctlcluster")) {
      const clusters = await run("pg_lsclusters", ["-h"]);
      for (const line of clusters.out.trim().split("\n").filter(Boolean)) {
        const [version, name] = line.split(/\s+/);
        say(`starting Postgres cluster ${version}/${name} ...`);
        await run("pg_ctlcluster", ["--skip-systemctl-redirect", version!, name!, "start"]);
      }
    }
  }
  for (let i = 0; i < 20; i++) {
    for (const url of candidates) if (await canQuery(url)) return url;
    // A fresh Debian cluster asks for a password on TCP; give the postgres role the documented one.
    if (i === 2 && isRoot()) {
      await run("su", ["postgres", "-c", "psql -q -c \"alter user postgres password 'postgres'\""]);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    "no Postgres found: set DATABASE_URL, or run Postgres on 127.0.0.1:5432 (Debian: apt-get install postgresql)",
  );
}

async function natsHasJetStream(url: string): Promise<boolean> {
  try {
    const nc = await connect({ servers: url, timeout: 2_000, reconnect: false });
    try {
      await (await jetstreamManager(nc)).getAccountInfo();
      return true;
    } finally {
      await nc.close();
    }
  } catch {
    return false;
  }
}

async function ensureNats(root: string, say: Say): Promise<{ url: string; stop?: () => Promise<void> }> {
  const given = Deno.env.get("NATS_URL");
  if (given) {
    if (await natsHasJetStream(given)) return { url: given };
    throw new Error("NATS_URL is set but no NATS with JetStream answers there; start nats-server -js or fix NATS_URL");
  }
  const local = "nats://127.0.0.1:4222";
  if (await portOpen(4222)) {
    if (await natsHasJetStream(local)) return { url: local };
    throw new Error("NATS on 127.0.0.1:4222 has no JetStream; restart it with -js or set NATS_URL");
  }
  let bin = await which("nats-server", ["/usr/sbin", "/usr/local/bin"]);
  if (!bin && (await aptInstall("nats-server", say))) bin = await which("nats-server", ["/usr/sbin"]);
  if (!bin) {
    throw new Error("no NATS found: set NATS_URL, or install nats-server (Debian: apt-get install nats-server)");
  }
  const dataDir = `${root}/.local/nats`;
  await Deno.mkdir(dataDir, { recursive: true });
  say(`starting ${bin} with JetStream on 127.0.0.1:4222 (data in .local/nats) ...`);
  const child = new Deno.Command(bin, {
    args: ["-a", "127.0.0.1", "-p", "4222", "-js", "-sd", dataDir],
    stdout: "null",
    stderr: "null",
  }).spawn();
  for (let i = 0; i < 40; i++) {
    if (await natsHasJetStream(local)) {
      return {
        url: local,
        stop: async () => {
          child.kill("SIGTERM");
          await child.status;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGKILL");
  throw new Error("nats-server did not come up on 127.0.0.1:4222");
}

/**
 * A command the test suite needs beyond Postgres and NATS (Debian's `docker-compose`, which checks
 * compose.yaml without a container engine): found on PATH, or installed when we may; `undefined` otherwise.
 */
export async function ensureTool(bin: string, debianPackage: string, say: Say): Promise<string | undefined> {
  const found = await which(bin, ["/usr/bin", "/usr/local/bin"]);
  if (found) return found;
  if (await aptInstall(debianPackage, say)) return await which(bin, ["/usr/bin", "/usr/local/bin"]);
  say(`${bin} is missing and cannot be installed here (Debian: apt-get install ${debianPackage}); its tests fail`);
  return undefined;
}
