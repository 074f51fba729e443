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
