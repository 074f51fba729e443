// Keeps docs/crm-contract.md true to the code: every JSON example parses with the schema it names,
// and every subject, stream, consumer, record field and error code of the contract is mentioned.
import assert from "node:assert/strict";
import * as contract from "@app/shared/contract";
import { natsCatalog } from "@app/shared/nats";
import type { z } from "zod";

const doc = await Deno.readTextFile(new URL("../../docs/crm-contract.md", import.meta.url));
const mentioned = (name: string) => doc.includes(`\`${name}\``);
const schemas = contract as unknown as Record<string, z.ZodType>;

Deno.test("every JSON example in docs/crm-contract.md parses with the contract schema it names", () => {
  const blocks = [...doc.matchAll(/```json (contract|reply):(\w+)\n([\s\S]*?)```/g)];
  assert.ok(blocks.length >= 14, `found ${blocks.length} examples`);
  for (const [, kind, name, body] of blocks) {
    const schema = schemas[name!];
    assert.ok(schema, `${name} is exported by @app/shared/contract`);
    const result = (kind === "reply" ? contract.rpcReply(schema) : schema).safeParse(JSON.parse(body!));
    assert.ok(result.success, `${kind}:${name}: ${result.error?.message}`);
  }
});

Deno.test("docs/crm-contract.md names every CRM subject, the stream, the consumers and every error code", () => {
  const catalog = natsCatalog("");
  const { rpc, ...events } = catalog.subjects.crm;
  for (const subject of [...Object.values(events), ...Object.values(rpc)]) {
    assert.ok(mentioned(subject), `subject ${subject}`);
  }
  assert.ok(mentioned(catalog.streams.crmEvents.name));
  for (const c of Object.values(catalog.consumers).filter((c) => c.stream === catalog.streams.crmEvents)) {
    assert.ok(mentioned(c.durable), `consumer ${c.durable}`);
  }
  for (const code of Object.keys(contract.CRM_RPC_ERROR_CODES)) assert.ok(mentioned(code), `error code ${code}`);
  for (const [name, entry] of Object.entries(contract.crmRpc)) {
    const exported = Object.entries(schemas).find(([, s]) => s === entry.request)?.[0];
    assert.ok(exported && mentioned(exported), `request schema of ${name}`);
  }
});

Deno.test("docs/crm-contract.md describes every field of contacts, appointments, series, users, groups and the envelope", () => {
  const shapes = [
    contract.ContactSchema.shape,
    contract.AppointmentSchema.shape,
    contract.CrmUserSchema.shape,
    contract.CrmGroupSchema.shape,
    contract.EnvelopeHeadSchema.shape,
    contract.SeriesSchema.shape,
    contract.SeriesExceptionSchema.shape,
  ];
  for (const shape of shapes) {
    for (const field of Object.keys(shape)) assert.ok(mentioned(field), `field ${field}`);
  }
  for (const m of contract.REMINDER_CHOICES) assert.match(doc, new RegExp(`\`${m}\``), `reminder ${m}`);
});
