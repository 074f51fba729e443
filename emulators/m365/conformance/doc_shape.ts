// Helpers of the conformance suite: Microsoft's documented request/response examples, written
// here from the docs (each test names its page in microsoftgraph/microsoft-graph-docs-contrib),
// replayed over HTTPS against a running emulator with a token MSAL got from it.
import assert from "node:assert/strict";
import { type Seeded, signedInGraph, startSeeded } from "../testdata/harness.ts";

export type Json = Record<string, unknown>;

/** One answer: status, headers and the parsed JSON body (if any). */
export interface Answer {
  status: number;
  headers: Headers;
  body: Json;
}

/** An emulator with a signed-in user (Contacts, Calendars and MailboxSettings read/write). */
export interface DocBed {
  s: Seeded;
  userId: string;
  token: string;
  /** A Graph request under `/v1.0` (path starts with `/`), as a client would send it. */
  call(method: string, path: string, o?: { body?: unknown; headers?: Record<string, string> }): Promise<Answer>;
  [Symbol.asyncDispose](): Promise<void>;
}

export const DOC_SCOPES = ["Contacts.ReadWrite", "Calendars.ReadWrite", "MailboxSettings.ReadWrite", "User.Read"];

export async function startDocBed(o: Parameters<typeof startSeeded>[0] = {}): Promise<DocBed> {
  const s = await startSeeded(o);
  const { accessToken } = await signedInGraph(s, s.users[0]!.userPrincipalName, DOC_SCOPES);
  const call: DocBed["call"] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${accessToken}`, ...o.headers };
    if (o.body !== undefined) headers["content-type"] ??= "application/json";
    const res = await fetch(`${s.emu.url}/v1.0${path}`, {
      method,
      headers,
      body: o.body === undefined ? undefined : typeof o.body === "string" ? o.body : JSON.stringify(o.body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) as Json : {} };
  };
  return { s, userId: s.users[0]!.id, token: accessToken, call, [Symbol.asyncDispose]: () => s.emu.stop() };
}

function jsonType(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/**
 * Asserts that `actual` has every property the documented example has, in the same casing and
 * JSON type, recursively (arrays: every element against the example's first one). Placeholder
 * values (`"id-value"`) only fix the type. With `exact`, no other properties may appear.
 */
export function assertDocShape(actual: unknown, documented: unknown, o: { exact?: boolean } = {}, at = "$"): void {
  assert.equal(jsonType(actual), jsonType(documented), `${at}: JSON type`);
  if (Array.isArray(documented)) {
    if (documented.length === 0) return;
    assert.ok((actual as unknown[]).length > 0, `${at}: documented as non-empty`);
    for (const [i, el] of (actual as unknown[]).entries()) assertDocShape(el, documented[0], o, `${at}[${i}]`);
    return;
  }
  if (jsonType(documented) !== "object") return;
  const doc = documented as Json;
  const got = actual as Json;
  for (const key of Object.keys(doc)) {
    assert.ok(key in got, `${at}: '${key}' is missing (casing counts); got ${Object.keys(got).join(", ")}`);
    assertDocShape(got[key], doc[key], o, `${at}.${key}`);
  }
  if (o.exact) assert.deepEqual(Object.keys(got).sort(), Object.keys(doc).sort(), `${at}: exactly the documented keys`);
}

/** Graph's error body (errors.md): `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`. */
export const ERROR_SHAPE = {
  error: {
    code: "code",
    message: "message",
    innerError: { date: "2019-09-20T21:47:50", "request-id": "id", "client-request-id": "id" },
  },
};
