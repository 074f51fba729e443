// contacts' remote writes as the engine runs them: one executor per action kind, each mapping its
// port's answers to the engine's one error vocabulary (ItemError) at this boundary.
import {
  type ActionExecutor,
  type ActionExecutors,
  crmExecutor,
  type ExecItem,
  graphExecutor,
  type ItemResult,
} from "@app/shared/engine";
import { deriveIdempotencyKey } from "@app/shared/sync";
import { crmIdStampBody } from "./graph_mapping.ts";
import type { ContactAction } from "./plan_types.ts";
import { type CrmContactsPort, GRAPH_BATCH_LIMIT, type GraphContact, type GraphContactsPort } from "./ports.ts";

type Of<K extends ContactAction["kind"]> = Extract<ContactAction, { kind: K }>;

/** What the executors write through, bound to one user. */
export interface ContactWriters {
  tenantId: string;
  userId: string;
  graph: GraphContactsPort;
  crm: CrmContactsPort;
}

/** CRM writes first (a create's id is stamped in Outlook after), then Outlook's in `$batch`es. */
export const CONTACT_ACTION_ORDER = [
  "createInCrm",
  "updateInCrm",
  "archiveInCrm",
  "createInGraph",
  "updateInGraph",
  "stampInGraph",
  "deleteInGraph",
] as const satisfies readonly ContactAction["kind"][];

/** The executors of every remote contact action. */
export function contactExecutors(w: ContactWriters): ActionExecutors<ContactAction> {
  const key = (...parts: string[]) => deriveIdempotencyKey("contacts", w.tenantId, w.userId, ...parts);
  const crm = <K extends ContactAction["kind"]>(call: (a: Of<K>) => Promise<unknown>, goneIsDone = false) =>
    crmExecutor<ContactAction>((a) => call(a as Of<K>), goneIsDone);
  const graph = (
    call: (items: readonly ExecItem<ContactAction>[]) => Promise<ItemResult[]>,
    extra: Partial<ActionExecutor<ContactAction>> = {},
  ) => graphExecutor<ContactAction>(GRAPH_BATCH_LIMIT, call, extra);
  return {
    order: CONTACT_ACTION_ORDER,
    byKind: {
      // Keyed by the Outlook id: the create retried after a crash returns the contact made before it.
      createInCrm: crm<"createInCrm">(async (a) =>
        w.crm.create({ fields: a.fields, syncUserIds: [w.userId], idempotencyKey: await key("create", a.graphId) })
      ),
      updateInCrm: crm<"updateInCrm">(async (a) =>
        w.crm.update({
          contactId: a.crmId,
          expectedVersion: a.expectedVersion,
          fields: a.fields,
          idempotencyKey: await key("update", a.crmId, String(a.expectedVersion)),
        })
      ),
      // Deleted in the CRM meanwhile: nothing left to archive.
      archiveInCrm: crm<"archiveInCrm">(
        async (a) => w.crm.archive({ contactId: a.crmId, idempotencyKey: await key("archive", a.crmId) }),
        true,
      ),
      createInGraph: graph((items) => w.graph.createMany(items.map((i) => (i.action as Of<"createInGraph">).body)), {
        createdId: (v) => (v as GraphContact | undefined)?.id,
      }),
      updateInGraph: graph((items) =>
        w.graph.updateMany(items.map((i) => {
          const a = i.action as Of<"updateInGraph">;
          return { id: a.graphId, body: a.body, ...(a.changeKey ? { changeKey: a.changeKey } : {}) };
        }))
      ),
      // A contact that came from Outlook is stamped with the id its CRM create returned (C8).
      stampInGraph: graph((items) =>
        w.graph.updateMany(items.map((i) => {
          const a = i.action as Of<"stampInGraph">;
          const crmId = a.crmId ?? (i.earlier[0] as { id: string }).id;
          return { id: a.graphId, body: crmIdStampBody(crmId) };
        }))
      ),
      deleteInGraph: graph(
        (items) => w.graph.deleteMany(items.map((i) => (i.action as Of<"deleteInGraph">).graphId)),
        { goneIsDone: true },
      ),
    },
  };
}
