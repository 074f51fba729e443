import type { Contact } from "@app/shared/contract";
import type { CountryCode } from "@app/shared/normalize";
import { buildBlocks, forEachCandidatePair } from "./blocking.ts";
import { compareContacts, COMPARISON_NAMES, CONTACT_COMPARISONS, isDifferentPerson } from "./compare.ts";
import { contactPrior } from "./contact_prior.ts";
import { explainPair, type FieldReason } from "./explain.ts";
import { groupPairs, type ScoredPair } from "./grouping.ts";
import { fitModel, type FsModel, levelWeight, matchProbability } from "./model.ts";
import { markCommonFamilies, prepareContact, type PreparedContact } from "./prepare.ts";

// Evidence against a pair, in bits, that keeps it out of a group it would join through others: more
// than a changed phone number or e-mail alone (people change those), as much as a different birthday.
const CONTRADICTION_BITS = 5;

/** Options of {@link scanContacts}. */
export interface ContactScanOptions {
  /** Country of phone numbers written without one. */
  country: CountryCode;
  /** Pairs at least this likely are proposed (default 0.9). */
  threshold?: number;
  /** Records join a group only if every pair in it is at least this likely (default 0.5)… */
  linkFloor?: number;
  /** …or, for pairs that nothing contradicts (fields missing, names only similar), this likely (default 0). */
  thinFloor?: number;
  maxBlockSize?: number;
}

/** One pair of a proposed group, with its calibrated probability and a reason per field (D3). */
export interface PairProposal {
  a: string;
  b: string;
  probability: number;
  reasons: FieldReason[];
}

/** A proposed group of duplicate contacts; `score` is its least likely pair's probability. */
export interface ContactGroupProposal {
  recordIds: string[];
  /** Fingerprints of the records' compared fields, by id (a "keep both" stands until one changes). */
  fingerprints: Record<string, string>;
  score: number;
  pairs: PairProposal[];
}

/** What a scan found and how much it looked at. */
export interface ContactScanResult {
  groups: ContactGroupProposal[];
  stats: {
    records: number;
    candidatePairs: number;
    skippedBlocks: number;
    /** Candidate pairs sharing an e-mail, phone or address but naming different people (households, offices). */
    householdPairs: number;
    proposedPairs: number;
  };
  model: FsModel;
}

/**
 * Finds duplicate contacts of one tenant (D1, D3), purely: normalise, block, compare each candidate
 * pair field by field, fit the Fellegi–Sunter weights to this tenant's pairs (EM), and group the
 * pairs at or above the threshold without chaining through implausible pairs. Households — pairs
 * whose given names clearly differ — are never proposed.
 */
export function scanContacts(contacts: readonly Contact[], o: ContactScanOptions): ContactScanResult {
  const threshold = o.threshold ?? 0.9;
  const linkFloor = o.linkFloor ?? 0.5;
  const thinFloor = o.thinFloor ?? 0;
  const records = contacts.map((c) => prepareContact(c, o.country));
  markCommonFamilies(records);
  const blocks = buildBlocks(records, { maxBlockSize: o.maxBlockSize });
  const radix = COMPARISON_NAMES.map((n) => CONTACT_COMPARISONS[n].length + 1);
  const codec = patternCodec(radix);

  // Pass 1: every candidate pair's pattern, kept compactly; patterns counted for EM.
  const is = new Growable(), js = new Growable(), codes = new Growable();
  const counts = new Map<number, number>();
  forEachCandidatePair(blocks, records.length, (i, j) => {
    const code = codec.encode(compareContacts(records[i]!, records[j]!).levels);
    is.push(i), js.push(j), codes.push(code);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  });
  const patterns = [...counts.keys()];
  const model = fitModel(
    { patterns: patterns.map((c) => codec.decode(c)), counts: patterns.map((c) => counts.get(c)!) },
    {
      prior: contactPrior(),
      random: randomPairPatterns(records, codec),
      totalPairs: (records.length * (records.length - 1)) / 2,
      // Before looking: about one record in ten has a duplicate, whatever the tenant's size.
      lambdaPrior: Math.min(0.1, 0.2 / Math.max(1, records.length - 1)),
      // Pairs naming different people (households, colleagues) are never proposed; the model is fitted
      // to the pairs it scores, so their shared e-mails and landlines do not pass for duplicates'.
      exclude: isDifferentPerson,
    },
  );
  const probabilityOf = new Map(patterns.map((c) => [c, matchProbability(model, codec.decode(c))]));

  // Pass 2: score by pattern; different people are never proposed.
  const scored: ScoredPair[] = [];
  let householdPairs = 0;
  for (let k = 0; k < is.length; k++) {
    const levels = codec.decode(codes.at(k));
    if (isDifferentPerson(levels)) {
      if (levels[2] === 0 || levels[3] === 1 || levels[3] === 0 || levels[5] === 0) householdPairs++;
      continue;
    }
    const p = probabilityOf.get(codes.at(k))!;
    if (p >= threshold) scored.push({ i: is.at(k), j: js.at(k), p });
  }
  const judge = (i: number, j: number) => {
    const { levels } = compareContacts(records[i]!, records[j]!);
    let against = 0;
    levels.forEach((l, c) => l >= 0 && (against += Math.min(0, levelWeight(model, c, l))));
    return {
      p: matchProbability(model, levels),
      differentPerson: isDifferentPerson(levels),
      contradicts: against <= -CONTRADICTION_BITS,
    };
  };
  const groups = groupPairs(scored, judge, { threshold, linkFloor, thinFloor }).map((g) => proposal(records, g, model));
  return {
    groups,
    stats: {
      records: records.length,
      candidatePairs: is.length,
      skippedBlocks: blocks.skippedBlocks,
      householdPairs,
      proposedPairs: groups.reduce((n, g) => n + g.pairs.length, 0),
    },
    model,
  };
}

function proposal(records: readonly PreparedContact[], members: number[], model: FsModel): ContactGroupProposal {
  const pairs: PairProposal[] = [];
  for (let x = 0; x < members.length; x++) {
    for (let y = x + 1; y < members.length; y++) {
      const a = records[members[x]!]!, b = records[members[y]!]!;
      const { levels, swapped } = compareContacts(a, b);
      pairs.push({
        a: a.id,
        b: b.id,
        probability: round(matchProbability(model, levels)),
        reasons: explainPair(a, b, levels, swapped, (c, l) => levelWeight(model, c, l)),
      });
    }
  }
  const ids = members.map((m) => records[m]!.id);
  return {
    recordIds: ids,
    fingerprints: Object.fromEntries(members.map((m) => [records[m]!.id, records[m]!.fingerprint])),
    score: Math.min(...pairs.map((p) => p.probability)),
    pairs,
  };
}

const RANDOM_PAIRS = 30_000;

/** Patterns of random record pairs (all pairs of a small tenant), seeded so a scan is repeatable. */
function randomPairPatterns(records: readonly PreparedContact[], codec: ReturnType<typeof patternCodec>) {
  const n = records.length;
  const counts = new Map<number, number>();
  const add = (i: number, j: number) => {
    const code = codec.encode(compareContacts(records[i]!, records[j]!).levels);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  };
  if ((n * (n - 1)) / 2 <= RANDOM_PAIRS) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) add(i, j);
  } else {
    let seed = 0x9e3779b9;
    const next = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) % n);
    for (let k = 0; k < RANDOM_PAIRS; k++) {
      const i = next(), j = next();
      if (i !== j) add(i, j);
    }
  }
  const patterns = [...counts.keys()];
  return { patterns: patterns.map((c) => codec.decode(c)), counts: patterns.map((c) => counts.get(c)!) };
}

function round(p: number): number {
  return Math.round(p * 10_000) / 10_000;
}

/** Mixed-radix code of a level vector (missing = the last digit), so patterns count in a map of numbers. */
function patternCodec(radix: number[]) {
  return {
    encode(levels: ArrayLike<number>): number {
      let code = 0;
      for (let c = 0; c < radix.length; c++) code = code * radix[c]! + (levels[c]! < 0 ? radix[c]! - 1 : levels[c]!);
      return code;
    },
    decode(code: number): Int8Array {
      const out = new Int8Array(radix.length);
      for (let c = radix.length - 1; c >= 0; c--) {
        const d = code % radix[c]!;
        out[c] = d === radix[c]! - 1 ? -1 : d;
        code = Math.floor(code / radix[c]!);
      }
      return out;
    },
  };
}

/** An Int32 list that grows by doubling: millions of candidate pairs without millions of objects. */
class Growable {
  #buf = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.#buf.length) {
      const next = new Int32Array(this.#buf.length * 2);
      next.set(this.#buf);
      this.#buf = next;
    }
    this.#buf[this.length++] = v;
  }
  at(k: number): number {
    return this.#buf[k]!;
  }
}
