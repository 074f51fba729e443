import type { MiddlewareHandler } from "hono";
import { withLogContext } from "../log/mod.ts";
import type { AppEnv } from "./env.ts";

const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes `X-Request-Id` from the caller (or makes one), echoes it and adds it to every log line. */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = c.req.header("x-request-id");
    const id = given && VALID.test(given) ? given : crypto.randomUUID();
    c.set("requestId", id);
    c.header("x-request-id", id);
    await withLogContext({ requestId: id }, next);
  };
}
