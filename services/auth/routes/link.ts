import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "@app/shared/http";
import type { AuthUseCases } from "../use_cases/mod.ts";
import {
  LinkStatusSchema,
  problems,
  StartLinkBodySchema,
  StartLinkReplySchema,
  toLinkStatus,
  UnlinkReplySchema,
  UserParams,
} from "./schemas.ts";

const json = <S>(schema: S, description: string) => ({ description, content: { "application/json": { schema } } });

const getLink = createRoute({
  method: "get",
  path: "/v1/users/{userId}/link",
  summary: "Link status: linked, needs reconnect (with the reason) or not linked (A1, A6)",
  security: [{ tenantApiKey: [] }],
  request: { params: UserParams },
  responses: { 200: json(LinkStatusSchema, "The user's link"), ...problems(404) },
});

const startLink = createRoute({
  method: "post",
  path: "/v1/users/{userId}/link",
  summary: "Start linking a Microsoft 365 account: returns the Microsoft sign-in URL (A1)",
  description: "Auth code + PKCE. The sign-in is single use and expires (`LINK_STATE_TTL_SECONDS`). After it, " +
    "the browser returns to `returnUrl` with `outcome=linked|error`, `code`, `message` and `userId`, or, " +
    "without `returnUrl`, sees a short result page. Linking again after a needs-reconnect renews the link.",
  security: [{ tenantApiKey: [] }],
  request: {
    params: UserParams,
    body: { required: false, content: { "application/json": { schema: StartLinkBodySchema } } },
  },
  responses: { 201: json(StartLinkReplySchema, "Where to send the user"), ...problems(400, 403, 404, 503) },
});

const unlink = createRoute({
  method: "delete",
  path: "/v1/users/{userId}/link",
  summary: "Unlink the account: stops sync, drops tokens and subscriptions, keeps both sides' data (A7)",
  security: [{ tenantApiKey: [] }],
  request: { params: UserParams },
  responses: { 200: json(UnlinkReplySchema, "What was done"), ...problems(404) },
});

/** Linking, link status and unlinking. */
export function mountLinkRoutes(app: OpenAPIHono<AppEnv>, auth: AuthUseCases): void {
  app.openapi(getLink, async (c) => {
    const status = await auth.status(c.get("tenant").tenantId, c.req.valid("param").userId);
    return c.json(toLinkStatus(status.account), 200);
  });
  app.openapi(startLink, async (c) => {
    const body = c.req.valid("json") ?? {};
    const started = await auth.startLink(c.get("tenant").tenantId, c.req.valid("param").userId, body);
    return c.json({ authorizeUrl: started.authorizeUrl, expiresAt: started.expiresAt.toISOString() }, 201);
  });
  app.openapi(unlink, async (c) => {
    const result = await auth.unlink(c.get("tenant").tenantId, c.req.valid("param").userId);
    return c.json({ ...result, link: toLinkStatus(undefined) }, 200);
  });
}
