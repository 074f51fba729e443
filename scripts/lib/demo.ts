// Demo mode of `start`: with no Microsoft credentials configured, the Microsoft 365 emulator and
// the CRM simulator run beside the services; a demo agency is seeded on both sides and its agents
// are linked through the emulator's sign-in, so a newcomer sees changes travel within a minute.
import { authorityMetadata } from "@app/m365-emulator";
import { CrmAdminClient, seedDemo } from "@app/crm-simulator";
import { runTenantCli } from "@app/auth/cli";
import { encodeBase64Url } from "@app/shared/encoding";

export const DEMO_TENANT = "demo";
const DOMAIN = "immobilien-demo.example";
const M365_TENANT_ID = "5e1f4d3c-2b1a-4f9e-8d7c-6b5a4f3e2d1c";
const CLIENT_ID = "c7a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b";
const AGENTS = ["giulia", "markus", "sofia"];

export interface DemoPorts {
  auth: number;
  m365: number;
  crm: number;
}

/** Secrets the demo keeps between starts (so linked accounts stay linked). */
async function demoSecrets(dir: string): Promise<{ clientSecret: string; tokenKey: string }> {
  const file = `${dir}/secrets.json`;
  try {
    return JSON.parse(await Deno.readTextFile(file));
  } catch {
    const random = () => encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
    const secrets = { clientSecret: random(), tokenKey: `demo1:${random()}` };
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(file, JSON.stringify(secrets), { mode: 0o600 });
    return secrets;
  }
}

/** Environment for the emulator, the simulator and auth in demo mode. */
export async function demoEnvironment(dir: string, ports: DemoPorts) {
  const secrets = await demoSecrets(dir);
  const m365 = `https://127.0.0.1:${ports.m365}`;
  const seed = [{
    id: M365_TENANT_ID,
    domain: DOMAIN,
    displayName: "Romano & Weber Immobilien",
    users: AGENTS.map((a) => ({ userPrincipalName: `${a}@${DOMAIN}`, displayName: a[0]!.toUpperCase() + a.slice(1) })),
    apps: [{
      clientId: CLIENT_ID,
      displayName: "crmsync demo",
      secrets: [secrets.clientSecret],
      redirectUris: [`http://127.0.0.1:${ports.auth}/oauth/callback`],
      autoConsent: true,
    }],
  }];
  await Deno.writeTextFile(`${dir}/m365-seed.json`, JSON.stringify(seed, null, 2));
  return {
    m365: { PORT: String(ports.m365), M365_SEED: `${dir}/m365-seed.json`, M365_SNAPSHOT: `${dir}/m365-state.json` },
    crm: { PORT: String(ports.crm), SNAPSHOT_PATH: `${dir}/crm-state.json` },
    auth: {
      MS_CLIENT_ID: CLIENT_ID,
      MS_CLIENT_SECRET: secrets.clientSecret,
      MS_AUTHORITY: `${m365}/organizations`,
      MS_AUTHORITY_METADATA: JSON.stringify(authorityMetadata(m365, "organizations")),
      MS_REDIRECT_URI: `http://127.0.0.1:${ports.auth}/oauth/callback`,
      MS_GRAPH_BASE_URL: m365,
      TOKEN_ENCRYPTION_KEYS: secrets.tokenKey,
    },
  };
}

/**
 * Seeds the CRM, creates the demo tenant in auth (its API key kept in `dir/api-key`), grants the
 * agents the right, links each through the emulator's sign-in, and picks their default folder and
 * primary calendar. Safe to run at every start.
 */
export async function seedAndLinkDemo(
  dir: string,
  ports: DemoPorts,
  env: Record<string, string>,
  /** A client trusting the emulator's CA (this process may have started without DENO_CERT). */
  tlsClient: Deno.HttpClient,
): Promise<{ apiKey: string; users: string[] }> {
  const crm = new CrmAdminClient(`http://127.0.0.1:${ports.crm}`);
  await seedDemo(crm, { tenantId: DEMO_TENANT, mailDomain: DOMAIN });
  const keyFile = `${dir}/api-key`;
  let apiKey = await Deno.readTextFile(keyFile).catch(() => "");
  if (!apiKey) {
    const created = await runTenantCli(
      ["create", "--id", DEMO_TENANT, "--name", "Romano & Weber Immobilien", "--enable"],
      env,
    ).catch(() => runTenantCli(["rotate-key", "--id", DEMO_TENANT, "--revoke-others"], env)) as { apiKey: string };
    apiKey = created.apiKey;
    await Deno.writeTextFile(keyFile, apiKey, { mode: 0o600 });
  }
  const auth = `http://127.0.0.1:${ports.auth}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(auth + path, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  for (const agent of AGENTS) {
    await call("PUT", `/v1/users/${agent}/sync-right`, { granted: true });
    const status = await call("GET", `/v1/users/${agent}`);
    if (status.link.state !== "linked") {
      const { authorizeUrl } = await call("POST", `/v1/users/${agent}/link`, { loginHint: `${agent}@${DOMAIN}` });
      // The emulator consents at once for the login hint and redirects to auth's callback.
      const consent = await fetch(authorizeUrl, { redirect: "manual", client: tlsClient });
      await consent.body?.cancel();
      const callback = await fetch(consent.headers.get("location")!, { redirect: "manual" });
      await callback.body?.cancel();
    }
    if (!status.settings.contacts.enabled) {
      const folders = (await call("GET", `/v1/users/${agent}/contact-folders`)).items;
      const calendars = (await call("GET", `/v1/users/${agent}/calendars`)).items;
      await call("PUT", `/v1/users/${agent}/settings`, {
        contacts: {
          enabled: true,
          folderId: folders.find((f: { isDefault: boolean }) => f.isDefault).id,
          direction: "two-way",
        },
        calendar: {
          enabled: true,
          calendarId: calendars.find((c: { isDefault: boolean }) => c.isDefault).id,
          includePastDays: 7,
        },
      });
    }
  }
  return { apiKey, users: AGENTS };
}

/** What to try once the demo runs. */
export function demoGuide(ports: DemoPorts & { contacts: number }, apiKey: string): string[] {
  const crm = `http://127.0.0.1:${ports.crm}/admin/tenants/${DEMO_TENANT}`;
  return [
    `demo tenant "${DEMO_TENANT}", API key: ${apiKey}`,
    `agents giulia, markus, sofia are linked to ${AGENTS.map((a) => `${a}@${DOMAIN}`).join(", ")}`,
    "watch a change travel:",
    `  CRM contacts:     curl -s ${crm}/contacts`,
    `  Giulia's Outlook: curl -s --cacert .local/tls/ca.pem https://127.0.0.1:${ports.m365}/_admin/users/giulia@${DOMAIN}/contacts`,
    `  sync status:      curl -s -H 'authorization: Bearer ${apiKey}' http://127.0.0.1:${ports.contacts}/v1/users/giulia/contacts/status`,
    `  edit in the CRM:  curl -s -X PATCH -H 'content-type: application/json' -d '{"jobTitle":"Notaio"}' ${crm}/contacts/<id>`,
  ];
}
