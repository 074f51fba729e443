import "reflect-metadata"; // @peculiar/x509 needs the polyfill before it loads
import * as x509 from "@peculiar/x509";

/** Paths and PEM texts of the emulator's CA and server certificate. */
export interface TlsMaterial {
  caPath: string;
  certPath: string;
  keyPath: string;
  ca: string;
  cert: string;
  key: string;
}

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 24 * 60 * 60 * 1000;

/**
 * Makes (once) a private CA and a server certificate it signs, for `localhost` and `127.0.0.1`.
 * Deno refuses a self-signed leaf that is its own CA, hence the two levels. Processes trust the
 * CA through `DENO_CERT=<caPath>`; real Microsoft 365 needs none of this.
 */
export async function ensureTlsMaterial(dir: string, extraHosts: string[] = hostsFromEnv()): Promise<TlsMaterial> {
  const paths = { caPath: `${dir}/ca.pem`, certPath: `${dir}/server.pem`, keyPath: `${dir}/server.key` };
  const hosts = [...new Set(["localhost", ...extraHosts])].sort();
  const existing = await readIfFresh(paths, hosts);
  if (existing) return existing;
  x509.cryptoProvider.set(crypto);
  const now = new Date(Date.now() - DAY);
  const notAfter = new Date(Date.now() + 365 * DAY);
  const caKeys = await crypto.subtle.generateKey(ALG, true, ["sign", "verify"]) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: "CN=crmsync development CA",
    notBefore: now,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const leafKeys = await crypto.subtle.generateKey(ALG, true, ["sign", "verify"]) as CryptoKeyPair;
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: "CN=localhost",
    issuer: ca.subject,
    notBefore: now,
    notAfter,
    signingKey: caKeys.privateKey,
    publicKey: leafKeys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...hosts.map((value) => ({ type: "dns" as const, value })),
        { type: "ip", value: "127.0.0.1" },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", leafKeys.privateKey);
  const material = {
    ...paths,
    ca: ca.toString("pem") + "\n",
    cert: leaf.toString("pem") + "\n",
    key: x509.PemConverter.encode(pkcs8, "PRIVATE KEY") + "\n",
  };
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(paths.keyPath, material.key, { mode: 0o600 });
  await Deno.writeTextFile(paths.certPath, material.cert);
  await Deno.writeTextFile(paths.caPath, material.ca);
  return material;
}

/** Extra DNS names for the server certificate, e.g. `m365-emulator` in compose (`TLS_EXTRA_HOSTS`). */
function hostsFromEnv(): string[] {
  return (Deno.env.get("TLS_EXTRA_HOSTS") ?? "").split(",").map((h) => h.trim()).filter(Boolean);
}

async function readIfFresh(
  paths: Pick<TlsMaterial, "caPath" | "certPath" | "keyPath">,
  hosts: string[],
): Promise<TlsMaterial | undefined> {
  try {
    const [ca, cert, key] = await Promise.all([
      Deno.readTextFile(paths.caPath),
      Deno.readTextFile(paths.certPath),
      Deno.readTextFile(paths.keyPath),
    ]);
    x509.cryptoProvider.set(crypto);
    const leaf = new x509.X509Certificate(cert);
    if (leaf.notAfter.getTime() - Date.now() < 30 * DAY) return undefined;
    const san = leaf.getExtension(x509.SubjectAlternativeNameExtension);
    const names = (san?.names.items ?? []).filter((n) => n.type === "dns").map((n) => n.value).sort();
    if (JSON.stringify(names) !== JSON.stringify(hosts)) return undefined; // other host names wanted
    return { ...paths, ca, cert, key };
  } catch {
    return undefined;
  }
}

function randomSerial(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[0] = b[0]! & 0x7f; // positive
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}
