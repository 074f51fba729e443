import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "@app/shared/http";
import { CALLBACK_PATH } from "../config.ts";
import type { LinkOutcome } from "../use_cases/linking.ts";
import type { AuthUseCases } from "../use_cases/mod.ts";

const callback = createRoute({
  method: "get",
  path: CALLBACK_PATH,
  summary: "Where Microsoft's sign-in returns the browser (no API key; the OAuth state authenticates it)",
  description: "Redirects to the CRM's return URL with `outcome`, `code`, `message`, `userId`; without one, " +
    "answers a short HTML page with the status of the outcome (200 linked, 400 bad/expired/used state, " +
    "403 right or feature missing, 409 account already linked elsewhere).",
  request: {
    query: z.object({
      state: z.string().max(500).optional(),
      code: z.string().max(5_000).optional(),
      error: z.string().max(200).optional(),
      error_description: z.string().max(2_000).optional(),
    }),
  },
  responses: {
    200: { description: "Linked (result page)" },
    302: { description: "Back to the CRM's return URL with the outcome" },
    400: { description: "Unknown, used or expired state; sign-in refused (result page)" },
    403: { description: "Right or feature missing (result page)" },
    409: { description: "A3 conflict: account or user already linked (result page)" },
  },
});

/** The OAuth callback: a browser redirect, not an API call. */
export function mountCallbackRoute(app: OpenAPIHono<AppEnv>, auth: AuthUseCases): void {
  app.openapi(callback, async (c) => {
    const outcome = await auth.completeLink(c.req.valid("query"));
    c.header("cache-control", "no-store");
    c.header("referrer-policy", "no-referrer"); // the callback URL carries the code
    if (outcome.returnUrl) return c.redirect(returnUrlWith(outcome), 302);
    return c.html(resultPage(outcome), outcome.status as 200);
  });
}

function returnUrlWith(o: LinkOutcome): string {
  const url = new URL(o.returnUrl!);
  url.searchParams.set("outcome", o.code === "linked" ? "linked" : "error");
  url.searchParams.set("code", o.code);
  url.searchParams.set("message", o.message);
  if (o.userId) url.searchParams.set("userId", o.userId);
  return url.toString();
}

function resultPage(o: LinkOutcome): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const title = o.code === "linked" ? "Microsoft 365 account linked" : "Linking did not work";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head>` +
    `<body><h1>${esc(title)}</h1><p>${esc(o.message)}</p><p><small>code: ${esc(o.code)}</small></p>` +
    `<p>You can close this window.</p></body></html>`;
}
