// A notification endpoint for subscription tests: echoes validation tokens (text/plain, 200) and
// records every notification POST, answering 202 as Graph recommends.

export interface Receiver {
  url: string;
  /** Parsed notification bodies received so far (validation requests excluded). */
  received: { path: string; body: { value: Record<string, unknown>[] } }[];
  /** When false, validation requests get a wrong answer (to test refused subscriptions). */
  echo: boolean;
  [Symbol.asyncDispose](): Promise<void>;
}

export function startReceiver(): Receiver {
  const r: Receiver = {
    url: "",
    received: [],
    echo: true,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    const token = url.searchParams.get("validationToken");
    const text = await req.text();
    if (token !== null) {
      return new Response(r.echo ? token : "nope", { status: 200, headers: { "content-type": "text/plain" } });
    }
    r.received.push({ path: url.pathname, body: JSON.parse(text) });
    return new Response(null, { status: 202 });
  });
  r.url = `http://127.0.0.1:${server.addr.port}`;
  return r;
}
