/** Lower case, accents removed, whitespace collapsed: "  José  ÁLVAREZ " → "jose alvarez". */
export function normalizeName(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

/** The key two people are the same by when only names and company are known; `undefined` without a name. */
export function nameCompanyKey(givenName: string, familyName: string, company: string): string | undefined {
  const given = normalizeName(givenName);
  const family = normalizeName(familyName);
  if (given === "" && family === "") return undefined;
  return `${given}|${family}|${normalizeName(company)}`;
}

/** A name's words for matching: normalised, punctuation (`-`, `.`, `'`) as spaces, empty ones dropped. */
export function nameTokens(s: string): string[] {
  return normalizeName(s).replace(/[^\p{L}\p{N} ]+/gu, " ").split(" ").filter((t) => t !== "");
}

// Legal forms say nothing about which company it is: "Conti S.r.l." is "Conti SRL" is "Conti".
const LEGAL_FORMS = new Set([
  "gmbh",
  "ag",
  "kg",
  "ohg",
  "gbr",
  "ug",
  "ek",
  "mbh",
  "co",
  "srl",
  "spa",
  "sas",
  "snc",
  "srls",
  "ltd",
  "llc",
  "inc",
  "sa",
  "sarl",
  "bv",
  "gmbhco",
  "und",
  "e",
  "&",
]);

/** A company name for matching: normalised, legal forms and punctuation dropped (`Conti S.r.l.` → `conti`). */
export function normalizeCompany(s: string): string {
  const words = normalizeName(s).replace(/(\p{L})\.(?=\p{L}\.)/gu, "$1").replace(/[^\p{L}\p{N}& ]+/gu, " ")
    .split(" ").filter((w) => w !== "");
  return words.filter((w) => !LEGAL_FORMS.has(w.replaceAll(".", ""))).join(" ");
}

const STREET_WORDS: Array<[RegExp, string]> = [
  [/\bstr\b|strasse\b|straße\b/g, "str"],
  [/\bpl\b|platz\b/g, "pl"],
  [/\bv\b|\bvia\b/g, "via"],
  [/\bp\.?zza\b|\bpiazza\b/g, "piazza"],
  [/\bc\.?so\b|\bcorso\b/g, "corso"],
  [/\bv\.?le\b|\bviale\b/g, "viale"],
];

/** A street for matching: normalised, common abbreviations unified (`Leopoldstraße 1` = `Leopoldstr. 1`). */
export function normalizeStreet(s: string): string {
  let out = normalizeName(s).replace(/ß/g, "ss").replace(/[.,]/g, " ");
  for (const [re, to] of STREET_WORDS) out = out.replace(re, to);
  return out.replace(/\s+/g, "").trim();
}
