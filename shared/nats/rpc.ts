import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import type { z } from "zod";
import { type RpcError, rpcReply } from "../contract/rpc.ts";
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NeedsReconnectError,
  NotFoundError,
  NotLinkedError,
  RetryableError,
  toFieldIssues,
  UnauthorizedError,
  UpstreamError,
  ValidationError,
} from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";

/** Options for {@link serveRpc}. */
export interface ServeRpcOptions<Req extends z.ZodType, Res> {
  nc: NatsConnection;
  subject: string;
  /** Replicas share the work through this queue group. */
  queue: string;
  request: Req;
  handler: (request: z.output<Req>) => Promise<Res>;
  logger: Logger;
}

/**
 * Answers requests on `subject`: the body is parsed with `request` (a bad body gets a
 * `validation_failed` reply naming the fields), the handler's result is sent as `{ ok: true, data }`
 * and its typed error as `{ ok: false, error }`.
 */
export function serveRpc<Req extends z.ZodType, Res>(o: ServeRpcOptions<Req, Res>): Subscription {
  return o.nc.subscribe(o.subject, {
    queue: o.queue,
    callback: (err, msg) => {
      if (err) {
        o.logger.error("rpc subscription failed", { subject: o.subject, error: err });
        return;
      }
      void answer(msg, o);
    },
  });
}

async function answer<Req extends z.ZodType, Res>(msg: Msg, o: ServeRpcOptions<Req, Res>): Promise<void> {
  let reply: { ok: true; data: Res } | { ok: false; error: RpcError };
  try {
    let body: unknown;
    try {
      body = msg.json();
    } catch {
      throw new ValidationError("request body is not JSON", [{ path: "(root)", message: "not JSON" }]);
    }
    const parsed = o.request.safeParse(body);
    if (!parsed.success) {
      const issues = toFieldIssues(parsed.error.issues);
      throw new ValidationError(`invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
    }
    reply = { ok: true, data: await o.handler(parsed.data) };
  } catch (err) {
    reply = { ok: false, error: toRpcError(err) };
    if (!(err instanceof AppError) || err.status >= 500) {
      o.logger.error("rpc handler failed", { subject: o.subject, error: err });
    }
  }
  if (msg.reply) msg.respond(JSON.stringify(reply));
}

/** The wire form of an error. */
export function toRpcError(err: unknown): RpcError {
  if (err instanceof ValidationError) return { code: err.code, message: err.message, issues: err.issues };
  if (err instanceof RetryableError) return { code: err.code, message: err.message, retryAfterMs: err.retryAfterMs };
  if (err instanceof NeedsReconnectError) return { code: err.code, message: err.message, reason: err.reason };
  if (err instanceof AppError) return { code: err.code, message: err.message };
  return { code: "internal", message: "internal error" };
}

/** The typed error for a wire error, so callers can `instanceof` across the network. */
export function fromRpcError(e: RpcError, subject: string): AppError {
  const msg = `${subject}: ${e.message}`;
  if (e.code === "validation_failed") return new ValidationError(msg, e.issues ?? []);
  if (e.code === "not_found") return new NotFoundError(msg);
  if (e.code === "unauthorized") return new UnauthorizedError(msg);
  if (e.code === "retryable") return new RetryableError(msg, e.retryAfterMs ?? 1_000);
  if (e.code === "not_linked") return new NotLinkedError(msg);
  if (e.code === "needs_reconnect") return new NeedsReconnectError(msg, e.reason ?? e.message);
  if (
    e.code.startsWith("conflict") || e.code.endsWith("_conflict") || e.code === "version_mismatch" ||
    e.code === "participant_via_group"
  ) {
    return new ConflictError(e.code, msg);
  }
  if (
    e.code.startsWith("forbidden") || e.code.endsWith("_forbidden") || e.code === "feature_disabled" ||
    e.code === "right_not_granted"
  ) {
    return new ForbiddenError(e.code, msg);
  }
  return new UpstreamError(e.code, msg);
}

/**
 * Sends a request and parses the reply with `response`. Timeouts and missing responders become
 * a {@link RetryableError}; an error reply becomes the matching typed error.
 */
export async function callRpc<Res extends z.ZodType>(
  nc: NatsConnection,
  subject: string,
  request: unknown,
  response: Res,
  options: { timeoutMs?: number } = {},
): Promise<z.output<Res>> {
  let msg: Msg;
  try {
    msg = await nc.request(subject, JSON.stringify(request), { timeout: options.timeoutMs ?? 5_000 });
  } catch (err) {
    throw new RetryableError(`${subject}: no answer (${err instanceof Error ? err.message : err})`, 1_000, {
      cause: err,
    });
  }
  let body: unknown;
  try {
    body = msg.json();
  } catch (err) {
    throw new UpstreamError("rpc_bad_reply", `${subject}: reply is not JSON`, { cause: err });
  }
  const parsed = rpcReply(response).safeParse(body) as
    | { success: true; data: { ok: true; data: z.output<Res> } | { ok: false; error: RpcError } }
    | { success: false; error: z.ZodError };
  if (!parsed.success) {
    const where = toFieldIssues(parsed.error.issues).map((i) => `${i.path}: ${i.message}`).join("; ");
    throw new UpstreamError("rpc_bad_reply", `${subject}: malformed reply: ${where}`, { cause: parsed.error });
  }
  if (!parsed.data.ok) throw fromRpcError(parsed.data.error, subject);
  return parsed.data.data;
}
