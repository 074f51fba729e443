import { phoneticKey } from "@app/shared/normalize";
import type { PreparedContact } from "./prepare.ts";

/**
 * The blocking keys of a contact (D1: no all-pairs comparison). Two contacts are compared only when
 * they share a key: a mailbox, a personal e-mail name at any provider, a phone number, a phonetic
 * family name with a given-name initial (for every full name a nickname stands for), both names'
 * phonetic codes in either role (swapped names), a birthday (day and month in either order) with the
 * name initials, or a street with its postcode.
 */
export function blockingKeys(c: PreparedContact, phonetic: (word: string) => string = phoneticKey): string[] {
  const keys = new Set<string>();
  for (const e of c.emails) {
    keys.add(`e:${e.key}`);
    if (e.personalLocal !== undefined) keys.add(`l:${e.personalLocal}`);
  }
  for (const p of c.mobiles) keys.add(`p:${p}`);
  for (const p of c.landlines) keys.add(`p:${p}`);
  const family = c.familyTokens.length > 0 ? phonetic(c.familyTokens.join("")) : "";
  const givenPhonetic = c.givenFirst.length > 1 ? phonetic(c.givenFirst) : "";
  const initials = new Set([c.givenFirst[0], ...c.givenForms.map((f) => f[0])].filter((x) => x !== undefined));
  if (family !== "") {
    for (const i of initials) keys.add(`n:${family}:${i}`);
    // The same, finer: where a common family name makes the coarse block too large, this one holds.
    for (const f of c.givenForms.length > 0 ? c.givenForms : [c.givenFirst]) {
      const code = f.length > 1 ? phonetic(f) : "";
      if (code !== "") keys.add(`m:${family}:${code}`);
    }
  }
  // Swapped names: both names' codes in a fixed order meet whichever role each was written in.
  if (givenPhonetic !== "" && family !== "") keys.add(`s:${[givenPhonetic, family].sort().join(":")}`);
  if (c.birthday) {
    const { y, m, d } = c.birthday;
    const dm = m < d ? `${m}-${d}` : `${d}-${m}`;
    const ini = [c.givenFirst[0] ?? "", c.family[0] ?? ""].sort().join("");
    keys.add(`b:${y}:${dm}:${ini}`);
  }
  for (const a of c.addresses) if (a.street !== "" && a.postal !== "") keys.add(`a:${a.postal}:${a.street}`);
  return [...keys];
}

/** Options of {@link candidatePairs}. */
export interface BlockingOptions {
  /** Blocks larger than this are too unspecific to compare in full and are skipped (counted). */
  maxBlockSize?: number;
}

/** The candidate pairs of a scan and how the blocks looked. */
export interface Blocks {
  /** Members of each block, ascending record index. */
  members: number[][];
  /** Block ids of each record. */
  ofRecord: number[][];
  skippedBlocks: number;
}

/** Groups records by blocking key. */
export function buildBlocks(records: readonly PreparedContact[], o: BlockingOptions = {}): Blocks {
  const max = o.maxBlockSize ?? 150;
  const byKey = new Map<string, number[]>();
  // Names repeat across a tenant: each is coded once per scan.
  const codes = new Map<string, string>();
  const phonetic = (w: string) => {
    let code = codes.get(w);
    if (code === undefined) codes.set(w, code = phoneticKey(w));
    return code;
  };
  const keysOf = records.map((r) => blockingKeys(r, phonetic));
  keysOf.forEach((keys, i) => {
    for (const k of keys) {
      const m = byKey.get(k);
      if (m) m.push(i);
      else byKey.set(k, [i]);
    }
  });
  const members: number[][] = [];
  const ofRecord: number[][] = records.map(() => []);
  let skippedBlocks = 0;
  for (const m of byKey.values()) {
    if (m.length < 2) continue;
    if (m.length > max) {
      skippedBlocks++;
      continue;
    }
    const id = members.length;
    members.push(m);
    for (const i of m) ofRecord[i]!.push(id);
  }
  return { members, ofRecord, skippedBlocks };
}

/**
 * Calls `visit(i, j)` once for every pair (i < j) that shares at least one block. Memory stays
 * linear: each record's partners are deduplicated with a stamp array, not a set of pairs.
 */
export function forEachCandidatePair(blocks: Blocks, n: number, visit: (i: number, j: number) => void): void {
  const seen = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (const b of blocks.ofRecord[i]!) {
      for (const j of blocks.members[b]!) {
        if (j <= i || seen[j] === i) continue;
        seen[j] = i;
        visit(i, j);
      }
    }
  }
}
