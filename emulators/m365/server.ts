import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { EmulatorContext } from "./context.ts";
import { bearerAuth, graphRequestBasics } from "./graph/auth.ts";
import type { GraphEnv } from "./graph/env.ts";
import { GraphError, graphErrorBody, graphErrorResponse } from "./graph/errors.ts";
import { mailboxGuard } from "./graph/mailbox_guard.ts";
import { OAuthError, oauthErrorResponse } from "./identity/oauth_error.ts";
import { registerIdentityRoutes } from "./identity/routes.ts";
import { buildAdminApp } from "./admin/routes.ts";

const GRAPH_ROOTS = new Set(["me", "users", "subscriptions", "$batch"]);

/**
 * Assembles the emulator: identity platform at `/{tenant}/...`, Graph at `/v1.0/...` (every
 * module's routes, behind auth, mailbox guard, faults and limits), admin API at `/_admin/...`.
 */
export function buildApp(ctx: EmulatorContext): Hono<GraphEnv> {
  const app = new Hono<GraphEnv>();
  /** The methods the routes matching a Graph path take (set once every route is registered). */
  let methodsFor: (path: string) => string[] = () => [];
  app.use("*", async (c, next) => {
    c.set("ctx", ctx);
    await next();
  });
  app.onError((err, c) => {
    if (err instanceof GraphError) return graphErrorResponse(c, err);
    if (err instanceof OAuthError) return oauthErrorResponse(c, err);
    if (err instanceof HTTPException) return c.json(graphErrorBody(c, "BadRequest", err.message), err.status);
    ctx.log.error("unhandled error", { err, path: c.req.path });
    return c.json(graphErrorBody(c, "generalException", "An unspecified error has occurred."), 500);
  });
  app.notFound((c) => {
    const allowed = c.req.path.startsWith("/v1.0/") ? methodsFor(c.req.path) : [];
    if (allowed.length) {
      // A known resource with a method it does not take (json-batching.md's 405 item).
      c.header("Allow", allowed.join(", "));
      return c.json(
        graphErrorBody(c, "Request_BadRequest", "Specified HTTP method is not allowed for the request target."),
        405,
      );
    }
    if (c.req.path.startsWith("/v1.0/")) {
      // Graph names the first path segment it could not resolve.
      const segs = c.req.path.split("/").slice(2);
      const bad = segs[0] && !GRAPH_ROOTS.has(segs[0]) ? segs[0] : segs.at(-1) ?? "";
      return c.json(graphErrorBody(c, "BadRequest", `Resource not found for the segment '${bad}'.`), 400);
    }
    return c.json(graphErrorBody(c, "NotFound", `No route for ${c.req.method} ${c.req.path}.`), 404);
  });

  app.route("/_admin", buildAdminApp(ctx));

  const graph = new Hono<GraphEnv>();
  graph.use("*", graphRequestBasics(), bearerAuth());
  const mailbox = new Hono<GraphEnv>();
  mailbox.use("*", mailboxGuard());
  for (const m of ctx.modules) {
    m.mailboxRoutes?.(mailbox, ctx);
    m.graphRoutes?.(graph, ctx);
  }
  graph.route("/me", mailbox);
  graph.route("/users/:userId", mailbox);
  app.route("/v1.0", graph);

  registerIdentityRoutes(app, ctx);
  const routes = app.routes
    .filter((r) => r.method !== "ALL" && r.path.startsWith("/v1.0/"))
    .map((r) => ({ method: r.method, pattern: routePattern(r.path) }));
  methodsFor = (path) => [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))];
  return app;
}

/** A Hono route path (`/v1.0/me/contacts/:id`) as a regular expression over request paths. */
function routePattern(path: string): RegExp {
  const body = path.split("/").map((seg) =>
    seg.startsWith(":") ? "[^/]+" : seg === "*" ? ".*" : seg.replace(/[.*+?^${}()|[\]\\$]/g, "\\$&")
  ).join("/");
  return new RegExp(`^${body}/?$`);
}
