import type { Hono } from "hono";
import type { EmulatorContext } from "../context.ts";
import type { GraphEnv } from "../graph/env.ts";
import { originOf } from "../graph/odata.ts";

/**
 * Discovery documents MSAL fetches when it is not given `authorityMetadata`/`knownAuthorities`:
 * `/{tenant}/v2.0/.well-known/openid-configuration` and `/common/discovery/instance`.
 */
export function registerMetadataRoutes(app: Hono<GraphEnv>, _ctx: EmulatorContext): void {
  app.get(
    "/:tenant/v2.0/.well-known/openid-configuration",
    (c) => c.json(openIdConfiguration(originOf(c), c.req.param("tenant"))),
  );
  app.get("/:tenant/discovery/v2.0/keys", (c) => c.json({ keys: [] }));
  app.get("/common/discovery/instance", (c) => {
    const origin = originOf(c);
    const host = new URL(origin).host;
    const endpoint = c.req.query("authorization_endpoint") ?? `${origin}/common/oauth2/v2.0/authorize`;
    const tenant = new URL(endpoint, origin).pathname.split("/")[1] || "common";
    return c.json({
      tenant_discovery_endpoint: `${origin}/${tenant}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });
}

/** The OpenID configuration of `tenant` (an id, a domain or `common`) at `origin`. */
export function openIdConfiguration(origin: string, tenant: string): Record<string, unknown> {
  const base = `${origin}/${tenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    // Entra writes the literal placeholder for multi-tenant authorities.
    issuer: `${origin}/${/^(common|organizations|consumers)$/i.test(tenant) ? "{tenantid}" : tenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "nonce",
      "preferred_username",
      "name",
      "tid",
      "ver",
      "at_hash",
      "c_hash",
      "email",
    ],
    tenant_region_scope: null,
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  };
}

/** What MSAL's `authorityMetadata` option wants, for tests and the README. */
export function authorityMetadata(origin: string, tenant: string): Record<string, string> {
  const cfg = openIdConfiguration(origin, tenant);
  return {
    authorization_endpoint: cfg.authorization_endpoint as string,
    token_endpoint: cfg.token_endpoint as string,
    issuer: cfg.issuer as string,
    jwks_uri: cfg.jwks_uri as string,
    end_session_endpoint: cfg.end_session_endpoint as string,
  };
}
