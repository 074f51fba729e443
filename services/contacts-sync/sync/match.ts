import { type CountryCode, nameCompanyKey, normalizeEmail, toE164 } from "@app/shared/normalize";
import type { CanonicalContact } from "./canonical.ts";

/** One side's unlinked contact offered to {@link matchContacts}. */
export interface MatchCandidate {
  id: string;
  canonical: CanonicalContact;
}

/** What made two contacts one: identical content, then e-mail, phone (E.164), name + company (C7). */
export type MatchLevel = "content" | "email" | "phone" | "name_company";

/** A CRM contact and an Outlook contact found to be the same person. */
export interface MatchedPair {
  crmId: string;
  graphId: string;
  by: MatchLevel;
}

/** Contacts that look alike but cannot be paired 1:1: a person decides (C7, A9). */
export interface ProbableDuplicate {
  by: MatchLevel;
  key: string;
  crmIds: string[];
  graphIds: string[];
}

/** Result of {@link matchContacts}. Every candidate is in exactly one of pairs, duplicates or unmatched. */
export interface MatchResult {
  pairs: MatchedPair[];
  probableDuplicates: ProbableDuplicate[];
  unmatchedCrmIds: string[];
  unmatchedGraphIds: string[];
}

/** Options of {@link matchContacts}. */
export interface MatchOptions {
  /** Country for phone numbers written without an international prefix; default "DE". */
  defaultCountry?: CountryCode;
}

const LEVELS: readonly MatchLevel[] = ["content", "email", "phone", "name_company"];

/**
 * First-sync matching (C7): pairs unlinked CRM and Outlook contacts level by level — identical
 * content, normalised e-mail, phone in E.164, then normalised name + company. A pair links only
 * when it is 1:1 at that level; contacts still sharing a key with an unpaired contact on the other
 * side at the end are probable duplicates. Linear in the number of keys: no pairwise comparison.
 */
export function matchContacts(
  crm: readonly MatchCandidate[],
  outlook: readonly MatchCandidate[],
  options: MatchOptions = {},
): MatchResult {
  const country = options.defaultCountry ?? "DE";
  const keysOf = new Map<MatchCandidate, Map<MatchLevel, string[]>>();
  for (const c of [...crm, ...outlook]) {
    keysOf.set(c, new Map(LEVELS.map((level) => [level, matchKeys(level, c.canonical, country)])));
  }
  const pairedCrm = new Set<string>();
  const pairedGraph = new Set<string>();
  const pairs: MatchedPair[] = [];

  for (const level of LEVELS) {
    const index = new Map<string, { crm: MatchCandidate[]; graph: MatchCandidate[] }>();
    const add = (c: MatchCandidate, side: "crm" | "graph") => {
      for (const key of keysOf.get(c)!.get(level)!) {
        let bucket = index.get(key);
        if (!bucket) index.set(key, bucket = { crm: [], graph: [] });
        bucket[side].push(c);
      }
    };
    for (const c of crm) if (!pairedCrm.has(c.id)) add(c, "crm");
    for (const o of outlook) if (!pairedGraph.has(o.id)) add(o, "graph");
    // Decide every pair of this level before committing any, so the order of input never matters.
    const found: MatchedPair[] = [];
    for (const o of outlook) {
      if (pairedGraph.has(o.id)) continue;
      const c = soleCandidate(keysOf.get(o)!.get(level)!, index, "crm");
      if (!c || soleCandidate(keysOf.get(c)!.get(level)!, index, "graph") !== o) continue;
      found.push({ crmId: c.id, graphId: o.id, by: level });
    }
    for (const p of found) {
      pairs.push(p);
      pairedCrm.add(p.crmId);
      pairedGraph.add(p.graphId);
    }
  }

  // Probable duplicates: an unpaired Outlook contact sharing a key with any CRM contact, paired or
  // not (an Outlook "Dup (2)" next to the "Dup" that just linked is one: importing it would copy a
  // CRM contact). Those Outlook ids are held for a person; the CRM ids are listed for context, and
  // unpaired ones wait too. A CRM contact is never held back for an already paired Outlook one.
  const probableDuplicates: ProbableDuplicate[] = [];
  const dupCrm = new Set<string>();
  const dupGraph = new Set<string>();
  for (const level of LEVELS) {
    const full = new Map<string, { crm: string[]; graph: string[] }>();
    const add = (c: MatchCandidate, side: "crm" | "graph") => {
      for (const key of keysOf.get(c)!.get(level)!) {
        let bucket = full.get(key);
        if (!bucket) full.set(key, bucket = { crm: [], graph: [] });
        bucket[side].push(c.id);
      }
    };
    crm.forEach((c) => add(c, "crm"));
    outlook.forEach((o) => add(o, "graph"));
    for (const [key, bucket] of full) {
      if (bucket.crm.length === 0 || bucket.graph.length === 0) continue;
      const crmIds = bucket.crm.filter((id) => !pairedCrm.has(id));
      const graphIds = bucket.graph.filter((id) => !pairedGraph.has(id));
      if (graphIds.length === 0) continue;
      probableDuplicates.push({ by: level, key, crmIds: bucket.crm, graphIds });
      crmIds.forEach((id) => dupCrm.add(id));
      graphIds.forEach((id) => dupGraph.add(id));
    }
  }
  return {
    pairs,
    probableDuplicates,
    unmatchedCrmIds: crm.map((c) => c.id).filter((id) => !pairedCrm.has(id) && !dupCrm.has(id)),
    unmatchedGraphIds: outlook.map((c) => c.id).filter((id) => !pairedGraph.has(id) && !dupGraph.has(id)),
  };
}

/** The only candidate on `side` sharing any of `keys`, or `undefined` when none or several. */
function soleCandidate(
  keys: readonly string[],
  index: Map<string, { crm: MatchCandidate[]; graph: MatchCandidate[] }>,
  side: "crm" | "graph",
): MatchCandidate | undefined {
  let sole: MatchCandidate | undefined;
  for (const key of keys) {
    for (const c of index.get(key)?.[side] ?? []) {
      if (sole && sole !== c) return undefined;
      sole = c;
    }
  }
  return sole;
}

/** The keys a contact is found by at one level; none when the level has nothing to go on. */
export function matchKeys(level: MatchLevel, c: CanonicalContact, country: CountryCode): string[] {
  switch (level) {
    case "content": {
      const hasSomething = c.givenName || c.familyName || c.company || c.emails.length > 0;
      return hasSomething ? [JSON.stringify(c)] : [];
    }
    case "email":
      return unique(c.emails.map(normalizeEmail));
    case "phone":
      return unique(
        [...c.businessPhones, c.mobilePhone, ...c.homePhones].map((p) => toE164(p, country)).filter((p) =>
          p !== undefined
        ),
      );
    case "name_company": {
      const key = nameCompanyKey(c.givenName, c.familyName, c.company);
      return key === undefined ? [] : [key];
    }
  }
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
