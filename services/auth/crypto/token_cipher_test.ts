import assert from "node:assert/strict";
import { TokenCipher, TokenDecryptError } from "./token_cipher.ts";

const key = (kid: string) => ({ kid, key: crypto.getRandomValues(new Uint8Array(32)) });

Deno.test("TokenCipher seals with a fresh IV and opens only in the same context", async () => {
  const cipher = await TokenCipher.create([key("k1")]);
  const a = await cipher.seal("refresh-token-value", "account:1");
  const b = await cipher.seal("refresh-token-value", "account:1");
  assert.equal(a.keyId, "k1");
  assert.notEqual(a.ciphertext, b.ciphertext);
  assert.doesNotMatch(a.ciphertext, /refresh-token-value/);
  assert.equal(await cipher.open(a, "account:1"), "refresh-token-value");
  await assert.rejects(() => cipher.open(a, "account:2"), TokenDecryptError);
  const tampered = { ...a, ciphertext: a.ciphertext.slice(0, -2) + (a.ciphertext.endsWith("A") ? "BB" : "AA") };
  await assert.rejects(() => cipher.open(tampered, "account:1"), TokenDecryptError);
});

Deno.test("TokenCipher rotates: a new first key seals, old keys still open, a dropped key is reported", async () => {
  const k1 = key("k1");
  const k2 = key("k2");
  const old = await (await TokenCipher.create([k1])).seal("cache", "ctx");
  const rotated = await TokenCipher.create([k2, k1]);
  assert.equal(await rotated.open(old, "ctx"), "cache");
  assert.ok(rotated.isStale(old));
  const resealed = await rotated.seal("cache", "ctx");
  assert.equal(resealed.keyId, "k2");
  assert.ok(!rotated.isStale(resealed));
  const dropped = await TokenCipher.create([k2]);
  await assert.rejects(() => dropped.open(old, "ctx"), /token key k1 is no longer configured/);
});
