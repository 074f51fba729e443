import type { Hono } from "hono";
import type { EmulatorContext } from "../context.ts";
import type { GraphEnv } from "../graph/env.ts";
import { registerAuthorizeRoutes } from "./authorize.ts";
import { registerMetadataRoutes } from "./metadata.ts";
import { registerTokenRoutes } from "./token_endpoint.ts";

/** The identity platform: discovery, authorize (with sign-in page), token, logout. */
export function registerIdentityRoutes(app: Hono<GraphEnv>, ctx: EmulatorContext): void {
  registerMetadataRoutes(app, ctx);
  registerAuthorizeRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
  app.get("/:tenant/oauth2/v2.0/logout", (c) => {
    const back = c.req.query("post_logout_redirect_uri");
    return back ? c.redirect(back, 302) : c.html("<!doctype html><p>You signed out of your account.</p>");
  });
}
