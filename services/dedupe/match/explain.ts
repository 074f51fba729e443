import { jaroWinkler } from "@app/shared/normalize";
import { COMPARISON_NAMES, type ComparisonName, CONTACT_COMPARISONS, type Levels } from "./compare.ts";
import type { PreparedContact } from "./prepare.ts";

/** Why a pair scored as it did, one entry per field (D3): "e-mail equal", "family name similar 0.93". */
export interface FieldReason {
  field: ComparisonName;
  /** The level reached, or `missing` when one side has no value. */
  level: string;
  /** The field's weight of evidence in bits: positive for a duplicate, negative against. */
  weight: number;
  text: string;
}

const LABEL: Record<ComparisonName, string> = {
  given: "given name",
  family: "family name",
  email: "e-mail",
  phone: "phone",
  company: "company",
  address: "address",
  birthday: "birthday",
};

const WORDS: Record<string, string> = {
  exact: "equal",
  common: "equal (a common name)",
  nickname: "a familiar form",
  initial: "an initial of the other",
  similar: "similar",
  partial: "part of the other",
  differs: "differs",
  unrelated: "names a different person",
  local: "same mailbox name at another provider",
  name_local: "same name-based mailbox name at another provider",
  mobile: "same mobile number",
  landline: "same landline (shared by a household or office)",
  postal: "same postcode, other street",
  swapped: "day and month swapped",
  near: "one part differs (typo)",
};

/** The per-field reasons of a compared pair, with the model's weights. */
export function explainPair(
  a: PreparedContact,
  b: PreparedContact,
  levels: Levels,
  swapped: boolean,
  weightOf: (field: number, level: number) => number,
): FieldReason[] {
  return COMPARISON_NAMES.map((field, i) => {
    const level = levels[i]!;
    if (level === -1) {
      return { field, level: "missing", weight: 0, text: `${LABEL[field]} missing on one side` };
    }
    const name = CONTACT_COMPARISONS[field][level]!;
    let text = `${LABEL[field]} ${field === "phone" && name !== "differs" ? "" : ""}${WORDS[name] ?? name}`;
    if (name === "similar" && (field === "given" || field === "family")) {
      text += ` ${similarityOf(a, b, field, swapped).toFixed(2)}`;
    }
    if (name === "nickname") text += ` (${a.givenFirst} ~ ${b.givenFirst})`;
    if (swapped && (field === "given" || field === "family")) text += " (given and family names swapped)";
    return { field, level: name, weight: round(weightOf(i, level)), text };
  });
}

function similarityOf(a: PreparedContact, b: PreparedContact, field: "given" | "family", swapped: boolean): number {
  if (field === "given") return jaroWinkler(a.given, swapped ? b.family : b.given);
  return jaroWinkler(a.family, swapped ? b.given : b.family);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
