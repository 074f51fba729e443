import { AppError } from "@app/shared/errors";
import { decodeBase64Url, encodeBase64Url } from "@app/shared/encoding";
import type { TokenKey } from "../config.ts";

/** A ciphertext and the id of the key that made it (stored side by side, so keys can rotate). */
export interface Sealed {
  keyId: string;
  ciphertext: string;
}

/** A ciphertext could not be opened: its key is no longer configured, or it was tampered with. */
export class TokenDecryptError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("token_decrypt_failed", 500, message, options);
  }
}

const IV_BYTES = 12;

/**
 * AES-256-GCM over WebCrypto for what auth keeps secret at rest (MSAL token caches, PKCE
 * verifiers). The first configured key seals; every configured key opens, so an operator rotates
 * by putting a new key first: each row is re-sealed with it on its next write. `context` is bound
 * as additional data, so a ciphertext copied into another row does not open there.
 */
export class TokenCipher {
  private constructor(private readonly keys: Map<string, CryptoKey>, readonly currentKeyId: string) {}

  static async create(keys: TokenKey[]): Promise<TokenCipher> {
    if (keys.length === 0) throw new Error("TokenCipher needs at least one key");
    const imported = new Map<string, CryptoKey>();
    for (const k of keys) {
      const raw = new Uint8Array(k.key);
      imported.set(k.kid, await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
    }
    return new TokenCipher(imported, keys[0]!.kid);
  }

  async seal(plaintext: string, context: string): Promise<Sealed> {
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const data = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
      this.keys.get(this.currentKeyId)!,
      new TextEncoder().encode(plaintext),
    );
    const out = new Uint8Array(IV_BYTES + data.byteLength);
    out.set(iv);
    out.set(new Uint8Array(data), IV_BYTES);
    return { keyId: this.currentKeyId, ciphertext: encodeBase64Url(out) };
  }

  async open(sealed: Sealed, context: string): Promise<string> {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new TokenDecryptError(`token key ${sealed.keyId} is no longer configured`);
    try {
      const bytes = new Uint8Array(decodeBase64Url(sealed.ciphertext));
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: bytes.slice(0, IV_BYTES), additionalData: new TextEncoder().encode(context) },
        key,
        bytes.slice(IV_BYTES),
      );
      return new TextDecoder().decode(plain);
    } catch (err) {
      throw new TokenDecryptError(`ciphertext under key ${sealed.keyId} does not open`, { cause: err });
    }
  }

  /** True when the row should be re-sealed with the current key on its next write. */
  isStale(sealed: Pick<Sealed, "keyId">): boolean {
    return sealed.keyId !== this.currentKeyId;
  }
}
