import type { LinkDuplicate } from "@app/shared/contract";
import type { ProposedGroup, StoredGroupPair } from "./report_types.ts";

/** A "keep both" decision as remembered (D3). */
export interface KeptPair {
  kind: "contact" | "appointment";
  a: string;
  b: string;
  fingerprintA: string;
  fingerprintB: string;
}

/** Inputs of {@link assembleReport}. */
export interface AssembleInput {
  kind: "contact" | "appointment";
  /** Groups the model proposed. */
  model: ProposedGroup[];
  /** What the sync links say (D4). */
  links: LinkDuplicate[];
  /** Fingerprint of every record listed now (ids absent here are archived or deleted). */
  fingerprintOf: (id: string) => string | undefined;
  kept: KeptPair[];
}

const LINK_LABEL: Record<LinkDuplicate["kind"], string> = {
  same_outlook_item: "linked to one Outlook item",
  same_ical_uid: "copies of one Outlook meeting (iCalUId)",
  echo: "came back from Outlook as a new record",
};

/**
 * The groups of one kind a report shows (pure): link evidence first, with probability 1 (D4),
 * joined with any model group sharing a record; then the model's other groups. A group every pair
 * of which the user chose to keep is left out while both records are unchanged (D3).
 */
export function assembleReport(input: AssembleInput): ProposedGroup[] {
  const out: ProposedGroup[] = [];
  const modelLeft = new Set(input.model);
  for (const l of input.links) {
    const ids = l.recordIds.filter((id) => input.fingerprintOf(id) !== undefined);
    if (new Set(ids).size < 2) continue;
    const pairs = new Map<string, StoredGroupPair>();
    for (let x = 0; x < ids.length; x++) {
      for (let y = x + 1; y < ids.length; y++) {
        pairs.set(key(ids[x]!, ids[y]!), {
          a: ids[x]!,
          b: ids[y]!,
          probability: 1,
          reasons: [{ field: "links", level: l.kind, weight: 0, text: `${LINK_LABEL[l.kind]}: ${l.detail}` }],
        });
      }
    }
    const members = new Set(ids);
    for (const g of [...modelLeft]) {
      if (!g.recordIds.some((id) => members.has(id))) continue;
      modelLeft.delete(g);
      g.recordIds.forEach((id) => members.add(id));
      for (const p of g.pairs) {
        const k = key(p.a, p.b);
        const linked = pairs.get(k);
        pairs.set(k, linked ? { ...linked, reasons: [...linked.reasons, ...p.reasons] } : p);
      }
    }
    const recordIds = [...members];
    const merged = out.find((g) => g.source === "links" && g.recordIds.some((id) => members.has(id)));
    if (merged) {
      for (const id of recordIds) if (!merged.recordIds.includes(id)) merged.recordIds.push(id);
      for (const p of pairs.values()) {
        if (!merged.pairs.some((q) => key(q.a, q.b) === key(p.a, p.b))) merged.pairs.push(p);
      }
      continue;
    }
    out.push({
      kind: input.kind,
      source: "links",
      recordIds,
      score: 1,
      pairs: [...pairs.values()],
      fingerprints: {},
    });
  }
  for (const g of out) {
    g.score = Math.min(...g.pairs.map((p) => p.probability));
    g.fingerprints = Object.fromEntries(g.recordIds.map((id) => [id, input.fingerprintOf(id)!]));
  }
  const all = [...out, ...modelLeft];
  const keptKeys = new Set(
    input.kept.map((k) =>
      `${key(k.a, k.b)}|${k.a < k.b ? k.fingerprintA : k.fingerprintB}|${k.a < k.b ? k.fingerprintB : k.fingerprintA}`
    ),
  );
  return all.filter((g) => !g.pairs.every((p) => isKept(p, keptKeys, input.fingerprintOf)));
}

function isKept(p: StoredGroupPair, kept: Set<string>, fingerprintOf: (id: string) => string | undefined): boolean {
  const [a, b] = p.a < p.b ? [p.a, p.b] : [p.b, p.a];
  return kept.has(`${a}:${b}|${fingerprintOf(a)}|${fingerprintOf(b)}`);
}

function key(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}
