import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";

export type { CountryCode };

/** A phone number in E.164 (`+4930123456`), or `undefined` when it is not a valid number. */
export function toE164(raw: string, country: CountryCode): string | undefined {
  if (raw.trim() === "") return undefined;
  const parsed = parsePhoneNumberFromString(raw, country);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** E.164 numbers of a list, invalid ones left out, each once. */
export function toE164All(raws: readonly string[], country: CountryCode): string[] {
  const out = new Set<string>();
  for (const r of raws) {
    const n = toE164(r, country);
    if (n !== undefined) out.add(n);
  }
  return [...out];
}
