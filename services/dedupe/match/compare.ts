import { areNicknames, isOneSlip, jaroWinkler } from "@app/shared/normalize";
import type { DateParts, PreparedContact } from "./prepare.ts";

/**
 * The fields two contacts are compared on and the levels of agreement each can reach, strongest
 * first (D1, D3). A field missing on either side has no level: it counts for nothing.
 */
export const CONTACT_COMPARISONS = {
  given: ["exact", "nickname", "initial", "similar", "differs", "unrelated"],
  family: ["exact", "common", "similar", "partial", "differs"],
  email: ["exact", "local", "name_local", "differs"],
  phone: ["mobile", "landline", "differs"],
  company: ["exact", "similar", "differs"],
  address: ["exact", "postal", "differs"],
  birthday: ["exact", "swapped", "near", "differs"],
} as const;

export type ComparisonName = keyof typeof CONTACT_COMPARISONS;
export const COMPARISON_NAMES = Object.keys(CONTACT_COMPARISONS) as ComparisonName[];
/** Level index per comparison, in {@link COMPARISON_NAMES} order; -1 = missing on one side. */
export type Levels = ArrayLike<number>;

const GIVEN_SIMILAR = 0.88;
const FAMILY_SIMILAR = 0.9;
const COMPANY_SIMILAR = 0.9;

const GIVEN = { exact: 0, nickname: 1, initial: 2, similar: 3, differs: 4, unrelated: 5 } as const;
// Below this, two given names are not one name mistyped (`Mrkus` / `Markls` are; `Maria` / `Giulia` are not).
const GIVEN_RELATED = 0.75;
const FAMILY = { exact: 0, common: 1, similar: 2, partial: 3, differs: 4 } as const;

/**
 * How two given names agree: equal, nickname, initial, similar (Jaro–Winkler or one slip), differs,
 * or unrelated (not even a badly typed form of one another); -1 missing.
 */
export function givenLevel(a: PreparedContact, b: PreparedContact): number {
  if (a.given === "" || b.given === "") return -1;
  if (a.given === b.given || a.givenFirst === b.givenFirst) return GIVEN.exact;
  if (a.givenFirst.length === 1 || b.givenFirst.length === 1) {
    return a.givenFirst[0] === b.givenFirst[0] ? GIVEN.initial : GIVEN.unrelated;
  }
  if (areNicknames(a.givenFirst, b.givenFirst)) return GIVEN.nickname;
  const jw = Math.max(jaroWinkler(a.given, b.given), jaroWinkler(a.givenFirst, b.givenFirst));
  if (jw >= GIVEN_SIMILAR || isOneSlip(a.givenFirst, b.givenFirst)) return GIVEN.similar;
  return jw >= GIVEN_RELATED ? GIVEN.differs : GIVEN.unrelated;
}

/**
 * How two family names agree: equal (a rare name, or one many of the tenant's contacts carry),
 * similar (Jaro–Winkler or one slip), one part of the other (`Klein` / `Klein-Meyer`), differs.
 */
export function familyLevel(a: string, aTokens: string[], b: string, bTokens: string[], common = false): number {
  if (a === "" || b === "") return -1;
  if (a === b) return common ? FAMILY.common : FAMILY.exact;
  if (jaroWinkler(a, b) >= FAMILY_SIMILAR || isOneSlip(a, b)) return FAMILY.similar;
  const [short, long] = aTokens.length <= bTokens.length ? [aTokens, bTokens] : [bTokens, aTokens];
  if (short.length > 0 && short.length < long.length && short.every((t) => long.includes(t))) return FAMILY.partial;
  return FAMILY.differs;
}

/** Given and family names with the roles as written, or swapped when that agrees better. */
export function nameLevels(
  a: PreparedContact,
  b: PreparedContact,
): { given: number; family: number; swapped: boolean } {
  const given = givenLevel(a, b);
  const family = familyLevel(a.family, a.familyTokens, b.family, b.familyTokens, a.familyCommon);
  if ((given === GIVEN.exact || given === -1) && family <= FAMILY.similar) return { given, family, swapped: false };
  // Swapped given and family names ("Rossi Mario"): compare each with the other's opposite part.
  if (a.given === "" || b.family === "" || a.family === "" || b.given === "") return { given, family, swapped: false };
  // a's given name stands where b's family name does, and the other way round.
  const f2 = wordLevel(a.given, b.family), g2 = wordLevel(a.family, b.given);
  const direct = (given === GIVEN.exact ? 0 : given >= GIVEN.differs ? 2 : 1) +
    (family <= FAMILY.common ? 0 : family === FAMILY.differs ? 2 : 1);
  if (g2 + f2 < direct && (Math.max(g2, f2) < 2 || Math.min(g2, f2) === 0)) {
    return {
      given: [GIVEN.exact, GIVEN.similar, GIVEN.unrelated][g2]!,
      family: [FAMILY.exact, FAMILY.similar, FAMILY.differs][f2]!,
      swapped: true,
    };
  }
  return { given, family, swapped: false };
}

// 0 equal, 1 similar (or an initial of the other), 2 differs: for names compared across roles.
function wordLevel(x: string, y: string): number {
  if (x === y) return 0;
  if ((x.length === 1 || y.length === 1) && x[0] === y[0]) return 1;
  return jaroWinkler(x, y) >= 0.85 || isOneSlip(x, y) ? 1 : 2;
}

/**
 * Any mailbox in common; the same personal local part at another provider — told apart by whether
 * the local part is spelt from the people's names (`anna.rossi`, which namesakes choose too) or not;
 * or none.
 */
export function emailLevel(a: PreparedContact, b: PreparedContact, familyAgrees: boolean): number {
  if (a.emails.length === 0 || b.emails.length === 0) return -1;
  let local = 3;
  for (const x of a.emails) {
    for (const y of b.emails) {
      if (x.key === y.key) return 0;
      if (x.personalLocal !== undefined && x.personalLocal === y.personalLocal) {
        const madeOfName = spelledFromName(x.personalLocal, a) || spelledFromName(x.personalLocal, b);
        // A mailbox name spelt from a name both records already share (or nearly) repeats the name's
        // evidence — namesakes choose `anna.rossi` too — so it counts only when the names differ.
        if (madeOfName && familyAgrees) continue;
        local = Math.min(local, madeOfName ? 2 : 1);
      }
    }
  }
  return local === 3 && sharedNameMailbox(a, b) ? -1 : local;
}

function spelledFromName(local: string, c: PreparedContact): boolean {
  return c.familyTokens.some((t) => t.length > 2 && local.includes(t)) ||
    (c.givenFirst.length > 2 && local.includes(c.givenFirst));
}

function sharedNameMailbox(a: PreparedContact, b: PreparedContact): boolean {
  return a.emails.some((x) =>
    x.personalLocal !== undefined && b.emails.some((y) => y.personalLocal === x.personalLocal)
  );
}

/** A mobile number in common (one person's), a landline in common (a household's or office's), or none. */
export function phoneLevel(a: PreparedContact, b: PreparedContact): number {
  const an = a.mobiles.length + a.landlines.length, bn = b.mobiles.length + b.landlines.length;
  if (an === 0 || bn === 0) return -1;
  for (const m of a.mobiles) if (b.mobiles.includes(m) || b.landlines.includes(m)) return 0;
  for (const m of b.mobiles) if (a.landlines.includes(m)) return 0;
  for (const l of a.landlines) if (b.landlines.includes(l)) return 1;
  return 2;
}

/** Company equal, similar or one containing the other, or differs. */
export function companyLevel(a: string, b: string): number {
  if (a === "" || b === "") return -1;
  if (a === b) return 0;
  if (jaroWinkler(a, b) >= COMPANY_SIMILAR || a.includes(b) || b.includes(a)) return 1;
  return 2;
}

/** Same street and postcode (or city), same postcode only, or differs. */
export function addressLevel(a: PreparedContact, b: PreparedContact): number {
  if (a.addresses.length === 0 || b.addresses.length === 0) return -1;
  let postal = false;
  for (const x of a.addresses) {
    for (const y of b.addresses) {
      const samePlace = (x.postal !== "" && x.postal === y.postal) || (x.city !== "" && x.city === y.city);
      if (x.street !== "" && x.street === y.street && samePlace) return 0;
      if (x.postal !== "" && x.postal === y.postal) postal = true;
    }
  }
  return postal ? 1 : 2;
}

/** Same date, day and month swapped, one part off (a typo), or differs. */
export function birthdayLevel(a: DateParts | null, b: DateParts | null): number {
  if (!a || !b) return -1;
  if (a.y === b.y && a.m === b.m && a.d === b.d) return 0;
  if (a.y === b.y && a.m === b.d && a.d === b.m) return 1;
  const same = (a.y === b.y ? 1 : 0) + (a.m === b.m ? 1 : 0) + (a.d === b.d ? 1 : 0);
  return same === 2 ? 2 : 3;
}

/** Every comparison of two contacts, in {@link COMPARISON_NAMES} order, and whether names were swapped. */
export function compareContacts(a: PreparedContact, b: PreparedContact): { levels: number[]; swapped: boolean } {
  const names = nameLevels(a, b);
  return {
    levels: [
      names.given,
      names.family,
      emailLevel(a, b, names.family !== -1 && names.family <= FAMILY.similar),
      phoneLevel(a, b),
      companyLevel(a.company, b.company),
      addressLevel(a, b),
      birthdayLevel(a.birthday, b.birthday),
    ],
    swapped: names.swapped,
  };
}

/**
 * True when two records name different people: both carry a given name and the names are neither
 * equal, nor a nickname, nor an initial, nor similar (a typo). Such pairs share an e-mail, a landline
 * or an address as a household or office does, and are never proposed (D3).
 */
export function isDifferentPerson(levels: Levels): boolean {
  return levels[0] === GIVEN.unrelated || levels[0] === GIVEN.differs;
}
