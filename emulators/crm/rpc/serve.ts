import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import { crmRpc, type CrmRpcName, type RpcError } from "@app/shared/contract";
import { AppError, toFieldIssues, ValidationError } from "@app/shared/errors";
import type { Logger } from "@app/shared/log";
import { type NatsCatalog, toRpcError } from "@app/shared/nats";
import type { CrmSimulatorState } from "../core.ts";
import type { CallNotes, CrmRpcHandlers } from "./handlers.ts";

/** Replicas of the simulator would share requests through this queue group. */
export const RPC_QUEUE = "crm-simulator";

/**
 * Answers every `crm.rpc.*` subject of the catalogue. Like `serveRpc` from shared/nats (same
 * parsing, same `{ ok, data | error }` replies, same error mapping), but able to withhold or garble
 * a reply, which fault injection needs and `serveRpc` rightly cannot do. Every call is logged.
 */
export function serveCrmRpc(o: {
  nc: NatsConnection;
  catalog: NatsCatalog;
  state: CrmSimulatorState;
  handlers: CrmRpcHandlers;
  logger: Logger;
}): Subscription[] {
  return (Object.keys(crmRpc) as CrmRpcName[]).map((name) =>
    o.nc.subscribe(o.catalog.subjects.crm.rpc[name], {
      queue: RPC_QUEUE,
      callback: (err, msg) => {
        if (err) o.logger.error("rpc subscription failed", { rpc: name, error: err });
        else void answer(name, msg, o);
      },
    })
  );
}

function stringField(body: unknown, key: string): string | undefined {
  const v = body && typeof body === "object" ? (body as Record<string, unknown>)[key] : undefined;
  return typeof v === "string" ? v : undefined;
}

async function answer(
  name: CrmRpcName,
  msg: Msg,
  o: { state: CrmSimulatorState; handlers: CrmRpcHandlers; logger: Logger },
): Promise<void> {
  let body: unknown;
  let isJson = true;
  try {
    body = msg.json();
  } catch {
    isJson = false;
  }
  const tenantId = stringField(body, "tenantId");
  const base = {
    rpc: name,
    subject: msg.subject,
    write: crmRpc[name].write,
    tenantId,
    idempotencyKey: stringField(body, "idempotencyKey"),
    recordId: stringField(body, "contactId") ?? stringField(body, "appointmentId"),
    ...(isJson ? { body } : {}),
  };
  const fault = o.state.faults.take(name, tenantId);
  if (fault && fault.mode !== "lost_reply") {
    o.state.requests.add({ ...base, outcome: "fault", fault: fault.mode });
    if (fault.mode === "error") {
      const error: RpcError = { code: "retryable", message: "injected fault", retryAfterMs: fault.retryAfterMs };
      msg.respond(JSON.stringify({ ok: false, error }));
    } else if (fault.mode === "malformed") {
      msg.respond('{"ok": true, "data": {"items": [');
    }
    return; // `timeout`: no answer at all
  }

  const notes: CallNotes = { replayed: false };
  let reply: { ok: true; data: unknown } | { ok: false; error: RpcError };
  try {
    if (!isJson) throw new ValidationError("request body is not JSON", [{ path: "(root)", message: "not JSON" }]);
    const parsed = crmRpc[name].request.safeParse(body);
    if (!parsed.success) {
      const issues = toFieldIssues(parsed.error.issues);
      throw new ValidationError(`invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
    }
    const handler = o.handlers[name] as (req: unknown, notes: CallNotes) => Promise<unknown>;
    const data = await handler(parsed.data, notes);
    // The simulator holds itself to the contract: a reply off-schema is a bug here, not at the caller.
    const checked = crmRpc[name].reply.safeParse(data);
    if (!checked.success) throw new Error(`reply breaks the contract: ${checked.error.message}`);
    reply = { ok: true, data };
  } catch (err) {
    reply = { ok: false, error: toRpcError(err) };
    if (!(err instanceof AppError) || err.status >= 500) {
      o.logger.error("rpc handler failed", { rpc: name, error: err });
    }
  }
  o.state.requests.add({
    ...base,
    ...(notes.recordId ? { recordId: notes.recordId } : {}),
    outcome: fault ? "fault" : !reply.ok ? "error" : notes.replayed ? "replayed" : "ok",
    ...(reply.ok ? {} : { errorCode: reply.error.code }),
    ...(fault ? { fault: fault.mode } : {}),
  });
  if (fault) return; // `lost_reply`: applied, but the caller never hears of it
  if (msg.reply) msg.respond(JSON.stringify(reply));
}
