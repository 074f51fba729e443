import type { Appointment, Contact, CrmRpcName } from "@app/shared/contract";
import { AppError, ConflictError, NotFoundError, RetryableError, ValidationError } from "@app/shared/errors";
import type { Logger } from "@app/shared/log";
import type { CrmNats } from "../adapters/crm_nats.ts";
import type { DecisionRow, DecisionStorePg } from "../adapters/decision_store_pg.ts";
import type { GroupRow, ReportStorePg } from "../adapters/report_store_pg.ts";
import {
  APPOINTMENT_FIELD_NAMES,
  checkChoice,
  composeAppointmentFields,
  composeContactFields,
  CONTACT_FIELD_NAMES,
  type MergeChoice,
} from "./compose.ts";

/** What a decision sends to the CRM, kept on the decision so that a retry sends exactly the same. */
interface CrmCall {
  rpc: CrmRpcName;
  body: Record<string, unknown>;
}

/**
 * The user's decisions on duplicate groups (D2) and the undo of merges (D3). Each reaches the CRM
 * through the contract as one request with an idempotency key derived from the decision; the sync
 * services then bring every linked Outlook copy in line from the CRM's change events.
 */
export class DecisionService {
  constructor(
    private readonly d: {
      reports: ReportStorePg;
      decisions: DecisionStorePg;
      crm: CrmNats;
      undoWindowMs: number;
      logger: Logger;
    },
  ) {}

  async merge(tenantId: string, groupId: string, choice: MergeChoice): Promise<DecisionRow> {
    const group = await this.#openGroup(tenantId, groupId, "merge");
    if ("decision" in group) return group.decision;
    const contact = group.kind === "contact";
    checkChoice(choice, group.recordIds, contact ? CONTACT_FIELD_NAMES : APPOINTMENT_FIELD_NAMES);
    const records = await this.#read(tenantId, group);
    const survivor = records.get(choice.survivorId)!;
    const losers = group.recordIds.filter((id) => id !== choice.survivorId);
    const id = decisionId();
    const call: CrmCall = contact
      ? {
        rpc: "contactsMerge",
        body: {
          tenantId,
          idempotencyKey: `dedupe:${id}:merge`,
          survivorId: survivor.id,
          expectedVersion: survivor.version,
          losers: losers.map((l) => ({ contactId: l, expectedVersion: records.get(l)!.version })),
          fields: composeContactFields(choice, records as Map<string, Contact>),
        },
      }
      : {
        rpc: "appointmentsMerge",
        body: {
          tenantId,
          idempotencyKey: `dedupe:${id}:merge`,
          survivorId: survivor.id,
          expectedVersion: survivor.version,
          losers: losers.map((l) => ({ appointmentId: l, expectedVersion: records.get(l)!.version })),
          fields: composeAppointmentFields(choice, records as Map<string, Appointment>),
        },
      };
    return await this.#apply(
      await this.d.decisions.begin({ id, tenantId, groupId, kind: "merge", request: { choice, crm: call } }),
    );
  }

  async deleteOne(tenantId: string, groupId: string, recordId: string): Promise<DecisionRow> {
    const group = await this.#openGroup(tenantId, groupId, "delete_one");
    if ("decision" in group) return group.decision;
    if (!group.recordIds.includes(recordId)) {
      throw new ValidationError("invalid decision: recordId is not a record of this group", [
        { path: "recordId", message: "is not a record of this group" },
      ]);
    }
    const record = (await this.#read(tenantId, group)).get(recordId)!;
    const id = decisionId();
    const key = `dedupe:${id}:delete`;
    const call: CrmCall = group.kind === "contact"
      ? {
        rpc: "contactDelete",
        body: { tenantId, idempotencyKey: key, contactId: recordId, expectedVersion: record.version },
      }
      : {
        rpc: "appointmentDelete",
        body: { tenantId, idempotencyKey: key, appointmentId: recordId, expectedVersion: record.version },
      };
    return await this.#apply(
      await this.d.decisions.begin({ id, tenantId, groupId, kind: "delete_one", request: { recordId, crm: call } }),
    );
  }

  /** "Keep both" (D3): remembered with each record's fingerprint; the group comes back only when one changes. */
  async keepBoth(tenantId: string, groupId: string): Promise<DecisionRow> {
    const group = await this.#openGroup(tenantId, groupId, "keep_both");
    if ("decision" in group) return group.decision;
    const d = await this.d.decisions.begin({ id: decisionId(), tenantId, groupId, kind: "keep_both", request: {} });
    const kind = group.kind as "contact" | "appointment";
    const kept = group.pairs.map((p) => ({
      kind,
      a: p.a,
      b: p.b,
      fingerprintA: group.fingerprints[p.a]!,
      fingerprintB: group.fingerprints[p.b]!,
    }));
    return await this.d.decisions.applied(d, "kept", { pairs: kept.length }, null, kept);
  }

  /** Undoes a merge within the undo window (D3): records and links back as they were, in the CRM in one change. */
  async undo(tenantId: string, decisionId: string): Promise<DecisionRow> {
    const d = await this.d.decisions.decision(tenantId, decisionId);
    if (!d) throw new NotFoundError(`decision "${decisionId}" not found`);
    if (d.kind !== "merge") throw new ConflictError("not_undoable", `a ${d.kind} decision cannot be undone`);
    if (d.status === "undone") return d;
    if (d.status !== "applied") throw new ConflictError("not_undoable", `the merge is ${d.status}, not applied`);
    if (d.undoUntil && Date.parse(d.undoUntil) < Date.now()) {
      throw new ConflictError("undo_window_passed", `the merge could be undone until ${d.undoUntil}`);
    }
    const r = d.result as { mergeId: string; survivorVersion: number; kind: string };
    const rpc = r.kind === "appointment" ? "appointmentsUnmerge" : "contactsUnmerge";
    try {
      const reply = await this.d.crm.call(rpc, {
        tenantId,
        idempotencyKey: `dedupe:${d.id}:undo`,
        mergeId: r.mergeId,
        expectedSurvivorVersion: r.survivorVersion,
      });
      return await this.d.decisions.undone(d, {
        survivorVersion: reply.survivor.version,
        restoredIds: reply.restored.map((x) => x.id),
      });
    } catch (err) {
      if (err instanceof ConflictError && err.code === "version_mismatch") {
        throw new ConflictError(
          "survivor_changed",
          "the surviving record was edited since the merge; undoing would lose that edit",
          {
            cause: err,
          },
        );
      }
      throw err;
    }
  }

  /** The group, open; or the decision already in flight for it (a retried request finishes that one). */
  async #openGroup(
    tenantId: string,
    groupId: string,
    kind: string,
  ): Promise<GroupRow | { decision: DecisionRow }> {
    const group = await this.d.reports.group(tenantId, groupId);
    if (!group) throw new NotFoundError(`group "${groupId}" not found`);
    const active = await this.d.decisions.activeForGroup(tenantId, groupId);
    if (active?.status === "applying" && active.kind === kind) return { decision: await this.#apply(active) };
    if (active || group.status !== "open") {
      throw new ConflictError("already_decided", `group "${groupId}" is already decided (${group.status})`);
    }
    return group;
  }

  async #read(tenantId: string, group: GroupRow): Promise<Map<string, Contact | Appointment>> {
    const out = new Map<string, Contact | Appointment>();
    for (const id of group.recordIds) {
      try {
        out.set(
          id,
          group.kind === "contact"
            ? (await this.d.crm.call("contactGet", { tenantId, contactId: id })).contact
            : (await this.d.crm.call("appointmentGet", { tenantId, appointmentId: id })).appointment,
        );
      } catch (err) {
        if (err instanceof NotFoundError) {
          throw new ConflictError("record_gone", `record "${id}" no longer exists in the CRM; scan again`, {
            cause: err,
          });
        }
        throw err;
      }
    }
    return out;
  }

  /** Sends the decision's CRM request (again, with the same key, after a crash) and records the outcome. */
  async #apply(d: DecisionRow): Promise<DecisionRow> {
    const call = (d.request as { crm: CrmCall }).crm;
    let reply: Record<string, unknown>;
    try {
      reply = await this.d.crm.call(call.rpc, call.body as never) as Record<string, unknown>;
    } catch (err) {
      // No answer: whether the CRM applied it is unknown; the decision stays in flight and a retry
      // of the same request finishes it (the CRM answers a repeated key with its first reply).
      if (err instanceof RetryableError) throw err;
      await this.d.decisions.failed(d, err instanceof Error ? err.message : String(err));
      if (err instanceof ConflictError && err.code === "version_mismatch") {
        throw new ConflictError(
          "record_changed",
          "a record changed since it was read; nothing was changed, try again",
          {
            cause: err,
          },
        );
      }
      throw err instanceof AppError ? err : new Error(String(err));
    }
    if (d.kind === "delete_one") return await this.d.decisions.applied(d, "deleted", { deleted: reply.deleted }, null);
    const survivor = reply.survivor as { id: string; version: number };
    return await this.d.decisions.applied(d, "merged", {
      kind: call.rpc === "appointmentsMerge" ? "appointment" : "contact",
      mergeId: reply.mergeId,
      survivorId: survivor.id,
      survivorVersion: survivor.version,
      loserIds: (call.body.losers as Array<Record<string, string>>).map((l) => l.contactId ?? l.appointmentId),
    }, new Date(Date.now() + this.d.undoWindowMs).toISOString());
  }
}

function decisionId(): string {
  return `dec_${crypto.randomUUID()}`;
}
