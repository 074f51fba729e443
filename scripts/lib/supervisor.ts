// Runs child processes, prefixes their output, restarts the ones that die, stops them on request.

export interface ProcessSpec {
  name: string;
  /** Deno entry module relative to the project root, or a full command when `cmd` is given. */
  entry: string;
  port: number;
  env: Record<string, string>;
  /** Extra `deno run` flags. */
  flags?: string[];
  /** Readiness check; defaults to GET http://127.0.0.1:<port>/readyz answering 200. */
  ready?: () => Promise<boolean>;
}

interface Running {
  spec: ProcessSpec;
  child?: Deno.ChildProcess;
  restarts: number;
}

export class Supervisor {
  #procs: Running[] = [];
  #stopping = false;
  #width = 13; // longest service name, so columns line up from the first line

  constructor(private readonly root: string, private readonly say: (m: string) => void) {}

  add(spec: ProcessSpec): void {
    const r: Running = { spec, restarts: 0 };
    this.#procs.push(r);
    this.#spawn(r);
  }

  #spawn(r: Running): void {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", ...(r.spec.flags ?? []), r.spec.entry],
      cwd: this.root,
      env: { ...r.spec.env, NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    r.child = child;
    const prefix = `${r.spec.name.padEnd(this.#width)} | `;
    void this.#pipe(child.stdout, prefix, (l) => console.log(l));
    void this.#pipe(child.stderr, prefix, (l) => console.error(l));
    child.status.then((status) => {
      if (this.#stopping) return;
      r.restarts++;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(r.restarts, 6));
      this.say(`${r.spec.name} exited with code ${status.code}; restarting in ${delay} ms`);
      setTimeout(() => !this.#stopping && this.#spawn(r), delay);
    });
  }

  async #pipe(stream: ReadableStream<Uint8Array>, prefix: string, write: (l: string) => void): Promise<void> {
    let buf = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      buf += chunk;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        write(prefix + buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    }
    if (buf) write(prefix + buf);
  }

  /** Polls every process's readiness URL until all answer 200 or `timeoutMs` passes. */
  async waitReady(timeoutMs: number): Promise<{ ok: boolean; waiting: string[] }> {
    const deadline = Date.now() + timeoutMs;
    let waiting = this.#procs.map((p) => p.spec);
    while (waiting.length > 0 && Date.now() < deadline) {
      const results = await Promise.all(waiting.map(async (s) => {
        try {
          if (s.ready) return await s.ready();
          const res = await fetch(`http://127.0.0.1:${s.port}/readyz`);
          await res.body?.cancel();
          return res.ok;
        } catch {
          return false;
        }
      }));
      waiting = waiting.filter((_, i) => !results[i]);
      if (waiting.length) await new Promise((r) => setTimeout(r, 250));
    }
    return { ok: waiting.length === 0, waiting: waiting.map((s) => s.name) };
  }

  /** SIGTERM to every child, then SIGKILL to any still running after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.#procs.map(async (r) => {
      const child = r.child;
      if (!child) return;
      try {
        child.kill("SIGTERM");
      } catch {
        return; // already gone
      }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }, graceMs);
      await child.status;
      clearTimeout(timer);
    }));
  }
}
