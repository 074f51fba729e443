// talisman's Jaro–Winkler (Winkler 1990, boost threshold 0.7, prefix ≤ 4), bounded Damerau–Levenshtein
// and the Cologne phonetic code: the classic string comparators of record linkage, and a phonetic key
// made for German names.
import jaroWinklerImpl from "talisman/metrics/jaro-winkler.js";
import colognePhoneticImpl from "talisman/phonetics/german/cologne.js";
import { limited as damerauLevenshteinLimited } from "talisman/metrics/damerau-levenshtein.js";

/** Jaro–Winkler similarity of two strings, 0 (nothing alike) … 1 (equal); suited to short names and typos. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a === "" || b === "") return 0;
  return (jaroWinklerImpl as (x: string, y: string) => number)(a, b);
}

/**
 * The Cologne phonetic code of a word (`Meier`, `Mayer`, `Maier` → `67`); letters outside A–Z are
 * folded first. Empty for a word without letters.
 */
export function phoneticKey(word: string): string {
  const folded = word.normalize("NFD").replace(/\p{M}/gu, "").replace(/ß/g, "ss").replace(/[^A-Za-z]/g, "");
  if (folded === "") return "";
  return (colognePhoneticImpl as (w: string) => string)(folded);
}

/**
 * True when `b` is `a` with one keyboard slip — a letter replaced, dropped, added, or two neighbours
 * swapped (Damerau–Levenshtein distance 1) — and both have at least `minLength` letters.
 */
export function isOneSlip(a: string, b: string, minLength = 4): boolean {
  if (a === b || a.length < minLength || b.length < minLength || Math.abs(a.length - b.length) > 1) return false;
  return (damerauLevenshteinLimited as (max: number, x: string, y: string) => number)(1, a, b) === 1;
}
