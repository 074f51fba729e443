// Logs never carry a secret (A6), wherever it sits, and keep what an operator needs: error codes,
// correlation ids, levels.
import assert from "node:assert/strict";
import { captureLogs } from "../testing/mod.ts";
import { Logger, redact, withLogContext } from "./log.ts";

const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGVsZSIsImF1ZCI6Imdyc3BoIn0.c2lnbmF0dXJlLXBhcnQ";
const API_KEY = `csk_abcdefghij12_${"A".repeat(43)}`;
const OAUTH_CODE = "0.AXoAq1w2e3r4t5y6u7i8o9p0-aSdFgHjKlZxCvBnM_qWeRtYuIoP.AgABAAEAAAD--DLA3VO7QrddgJg7WevrAgDs";

async function logLine(data: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { lines } = await captureLogs(() => Promise.resolve(new Logger("test", "debug").error("something", data)));
  assert.equal(lines.length, 1);
  return JSON.parse(lines[0]!);
}

Deno.test("redact() masks secret-looking keys at the top, nested, and in arrays", () => {
  const out = redact({
    accessToken: "a",
    refresh_token: "r",
    client_secret: "s",
    password: "p",
    headers: { Authorization: "Bearer x", "x-api-key": "k", cookie: "c" },
    pkce: { code_verifier: "v" },
    accounts: [{ username: "adele@contoso.test", tokenCache: "sealed" }, { credentials: { any: 1 } }],
    safe: "kept",
  });
  assert.deepEqual(out, {
    accessToken: "[redacted]",
    refresh_token: "[redacted]",
    client_secret: "[redacted]",
    password: "[redacted]",
    headers: { Authorization: "[redacted]", "x-api-key": "[redacted]", cookie: "[redacted]" },
    pkce: { code_verifier: "[redacted]" },
    accounts: [{ username: "adele@contoso.test", tokenCache: "[redacted]" }, { credentials: "[redacted]" }],
    safe: "kept",
  });
});

Deno.test("redact() keeps error codes and masks an OAuth code under the same key", () => {
  assert.deepEqual(redact({ code: "invalid_message", reason: "data.n: expected number" }), {
    code: "invalid_message",
    reason: "data.n: expected number",
  });
  assert.deepEqual(redact({ code: "AADSTS50173" }), { code: "AADSTS50173" });
  assert.deepEqual(redact({ code: 404 }), { code: 404 });
  assert.deepEqual(redact({ query: { state: "s", code: OAUTH_CODE } }), { query: { state: "s", code: "[redacted]" } });
});

Deno.test("redact() masks token-shaped text inside strings and error messages, and walks error causes", () => {
  assert.equal(redact(`sent ${JWT} to Graph`), "sent [redacted] to Graph");
  assert.equal(redact(`header Authorization: Bearer ${JWT}`), "header Authorization: Bearer [redacted]");
  assert.equal(redact(`key ${API_KEY} refused`), "key [redacted] refused");
  const inner = Object.assign(new Error(`refresh failed for ${JWT}`), { code: "invalid_grant" });
  const outer = new Error("acquiring a token failed", { cause: { request: { refreshToken: "r", tenant: "t" } } });
  const chained = new Error("outer", { cause: inner });
  assert.deepEqual(redact({ error: outer }), {
    error: {
      name: "Error",
      message: "acquiring a token failed",
      cause: { request: { refreshToken: "[redacted]", tenant: "t" } },
    },
  });
  assert.deepEqual(redact({ error: chained }), {
    error: {
      name: "Error",
      message: "outer",
      cause: { name: "Error", message: "refresh failed for [redacted]", code: "invalid_grant" },
    },
  });
});

Deno.test("Logger writes one JSON line with correlation ids and redacted data, and honours its level", async () => {
  const line = await withLogContext({ requestId: "r-1", tenantId: "acme" }, () =>
    logLine({
      consumer: "contacts-sync-crm",
      code: "malformed_json",
      reason: "message body is not JSON",
      token: JWT,
      nested: { deeper: [{ apiKey: API_KEY }] },
    }));
  assert.equal(line.level, "error");
  assert.equal(line.service, "test");
  assert.equal(line.msg, "something");
  assert.equal(line.requestId, "r-1");
  assert.equal(line.tenantId, "acme");
  assert.equal(line.code, "malformed_json", "a dead-letter line keeps its code");
  assert.equal(line.token, "[redacted]");
  assert.deepEqual(line.nested, { deeper: [{ apiKey: "[redacted]" }] });
  assert.doesNotMatch(JSON.stringify(line), /eyJhbGci|csk_abc/);
  const { lines } = await captureLogs(() => {
    const quiet = new Logger("test", "warn");
    quiet.info("not written");
    quiet.debug("not written");
    quiet.warn("written");
    return Promise.resolve();
  });
  assert.deepEqual(lines.map((l) => JSON.parse(l).msg), ["written"]);
});
