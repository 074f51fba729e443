import assert from "node:assert/strict";
import { ConfigError } from "@app/shared/errors";
import { loadAuthConfig, microsoftConfig } from "./config.ts";

const key = (byte: number) => btoa(String.fromCharCode(...new Uint8Array(32).fill(byte)));

Deno.test("loadAuthConfig() without MS_CLIENT_ID runs auth with linking switched off", () => {
  const blank = ["MS_CLIENT_ID", "MS_CLIENT_SECRET", "MS_AUTHORITY", "MS_AUTHORITY_METADATA", "MS_REDIRECT_URI"]
    .concat([
      "MS_GRAPH_BASE_URL",
      "MS_SCOPES",
      "TOKEN_ENCRYPTION_KEYS",
      "LINK_STATE_TTL_SECONDS",
      "CRM_RETURN_ORIGINS",
    ]);
  const config = loadAuthConfig(Object.fromEntries(blank.map((k) => [k, ""]))); // compose passes unset as ""
  assert.equal(microsoftConfig(config), undefined);
  assert.equal(config.MS_AUTHORITY, "https://login.microsoftonline.com/organizations");
  assert.deepEqual(config.MS_SCOPES, ["offline_access", "User.Read", "Contacts.ReadWrite", "Calendars.ReadWrite"]);
  assert.equal(config.LINK_STATE_TTL_SECONDS, 600);
  assert.deepEqual(config.CRM_RETURN_ORIGINS, []);
});

Deno.test("loadAuthConfig() reads a real app registration with rotating keys and allowed return origins", () => {
  const ms = microsoftConfig(loadAuthConfig({
    MS_CLIENT_ID: "client",
    MS_CLIENT_SECRET: "secret",
    MS_REDIRECT_URI: "https://sync.example.com/oauth/callback",
    TOKEN_ENCRYPTION_KEYS: `k2:${key(2)}, k1:${key(1)}`,
    CRM_RETURN_ORIGINS: "https://crm.example.com, http://localhost:3000/",
  }));
  assert.ok(ms);
  assert.deepEqual(ms.tokenKeys.map((k) => k.kid), ["k2", "k1"]);
  assert.equal(ms.tokenKeys[0]!.key.length, 32);
  assert.deepEqual(ms.returnOrigins, ["https://crm.example.com", "http://localhost:3000"]);
  assert.equal(ms.graphBaseUrl, "https://graph.microsoft.com");
  assert.equal(ms.linkStateTtlMs, 600_000);
});

Deno.test("loadAuthConfig() lists every bad Microsoft variable at once", () => {
  const err = (() => {
    try {
      loadAuthConfig({
        MS_CLIENT_ID: "client",
        MS_AUTHORITY: "http://login.example.com/x",
        MS_AUTHORITY_METADATA: "{not json",
        TOKEN_ENCRYPTION_KEYS: "k1:c2hvcnQ=,k1",
        LINK_STATE_TTL_SECONDS: "5",
        CRM_RETURN_ORIGINS: "https://crm.example.com/path",
        MS_SCOPES: "User.Read",
      });
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof ConfigError);
  const paths = [...new Set(err.issues.map((i) => i.path))].sort();
  assert.deepEqual(paths, [
    "CRM_RETURN_ORIGINS",
    "LINK_STATE_TTL_SECONDS",
    "MS_AUTHORITY",
    "MS_AUTHORITY_METADATA",
    "MS_CLIENT_SECRET",
    "MS_REDIRECT_URI",
    "MS_SCOPES",
    "TOKEN_ENCRYPTION_KEYS",
  ]);
  assert.match(err.message, /entry 1: expected kid:base64 of 32 random bytes/);
});
