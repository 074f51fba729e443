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
  if (!(err instanceof AppError)) return { code: "internal", message: "internal error", status: 500 };
  const wire: RpcError = { code: err.code, message: err.message, status: err.status };
  if (err instanceof ValidationError) wire.issues = err.issues;
  if (err instanceof RetryableError) wire.retryAfterMs = err.retryAfterMs;
  if (err instanceof NeedsReconnectError) wire.reason = err.reason;
  return wire;
}

// Codes of the CRM contract (docs/crm-contract.md) for a CRM that answers without `status`.
const CRM_CODE_STATUS: Record<string, number> = {
  not_found: 404,
  unauthorized: 401,
  version_mismatch: 409,
  idempotency_conflict: 409,
  participant_via_group: 409,
};

/** The typed error for a wire error, so callers can `instanceof` across the network. */
export function fromRpcError(e: RpcError, subject: string): AppError {
  const msg = `${subject}: ${e.message}`;
  switch (e.code) {
    case "validation_failed":
      return new ValidationError(msg, e.issues ?? []);
    case "retryable":
      return new RetryableError(msg, e.retryAfterMs ?? 1_000);
    case "not_linked":
      return new NotLinkedError(msg);
    case "needs_reconnect":
      return new NeedsReconnectError(msg, e.reason ?? e.message);
  }
  switch (e.status ?? CRM_CODE_STATUS[e.code]) {
    case 401:
      return new UnauthorizedError(msg);
    case 403:
      return new ForbiddenError(e.code, msg);
    case 404:
      return new NotFoundError(msg);
    case 409:
      return new ConflictError(e.code, msg);
    default:
      return new UpstreamError(e.code, msg);
  }
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
  const timeout = options.timeoutMs ?? 5_000;
  try {
    msg = await nc.request(subject, JSON.stringify(request), { timeout });
  } catch (err) {
    // The wait is named, so a log line (and a test) tells which timeout gave up.
    const why = err instanceof Error ? err.message : err;
    throw new RetryableError(`${subject}: no answer within ${timeout} ms (${why})`, 1_000, {
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
