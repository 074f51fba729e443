// A seeded generator of realistic contact data with known truth, for dedupe's benchmark and tests
// (issue 11): people of German and Italian agencies' address books, households that share an
// e-mail, a landline and an address (lures: different people), namesakes, and duplicates of some
// people carrying the noise CRMs collect — typos, swapped given/family names, missing fields,
// day/month swaps, nicknames, e-mail case/dot/provider changes, national vs E.164 phones.
import type { Contact, ContactEmail, ContactFields, ContactPhone, PostalAddress } from "@app/shared/contract";
import { areNicknames, givenNameForms, isOneSlip, jaroWinkler } from "@app/shared/normalize";
import {
  CITIES,
  COMPANY_STEMS,
  FAMILY,
  FAMILY_ENDINGS,
  GIVEN,
  LEGAL_FORMS,
  PROVIDERS,
  STREETS,
  SYLLABLES,
} from "./names.ts";

/** What the generated records really are. */
export interface GeneratedData {
  contacts: Contact[];
  /** Person behind each record id: records of one person are true duplicates. */
  personOf: Map<string, number>;
  /** Household of each person that has one: pairs across its people are lures, never duplicates. */
  householdOf: Map<number, number>;
}

/** Options of {@link generateContacts}. */
export interface GeneratorOptions {
  seed: number;
  /** Number of records (people and their duplicates). */
  records: number;
  /** Share of people with duplicates (default 0.2). */
  duplicateShare?: number;
  /** Share of people living in a household of two or three (default 0.12). */
  householdShare?: number;
}

type Culture = "de" | "it";
interface Person extends ContactFields {
  culture: Culture;
  female: boolean;
}

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Generates `records` contacts: people, their household members and their noisy duplicates. */
export function generateContacts(o: GeneratorOptions): GeneratedData {
  const r = rng(o.seed);
  const g = new Gen(r);
  const dupShare = o.duplicateShare ?? 0.2;
  const hhShare = o.householdShare ?? 0.12;
  const rows: Array<{ fields: ContactFields; person: number }> = [];
  const householdOf = new Map<number, number>();
  let person = 0, household = 0;
  const emit = (p: Person, id: number) => {
    rows.push({ fields: strip(p), person: id });
    // Only people the CRM knows more of than a name can have a duplicate found (see `noisy`).
    if (identifiable(p) && r() < dupShare) {
      const copies = r() < 0.75 ? 1 : r() < 0.8 ? 2 : 3;
      for (let k = 0; k < copies && rows.length < o.records; k++) rows.push({ fields: g.noisy(p), person: id });
    }
  };
  while (rows.length < o.records) {
    const p = g.person();
    const id = person++;
    emit(p, id);
    if (r() < hhShare && rows.length < o.records) {
      const hh = household++;
      householdOf.set(id, hh);
      const others = r() < 0.7 ? 1 : 2;
      const taken = [p.givenName];
      for (let k = 0; k < others && rows.length < o.records; k++) {
        const m = g.householdMember(p, taken);
        taken.push(m.givenName);
        const mid = person++;
        householdOf.set(mid, hh);
        emit(m, mid);
      }
    }
  }
  const order = g.shuffle(rows.slice(0, o.records));
  const personOf = new Map<string, number>();
  const contacts = order.map((row, i): Contact => {
    const id = `c${i + 1}`;
    personOf.set(id, row.person);
    return {
      ...row.fields,
      id,
      tenantId: "bench",
      version: 1,
      archived: false,
      syncUserIds: [],
      updatedAt: "2026-01-01T00:00:00.000Z",
    };
  });
  return { contacts, personOf, householdOf };
}

function strip(p: Person): ContactFields {
  const { culture: _c, female: _f, ...fields } = p;
  return structuredClone(fields);
}

class Gen {
  /** Mailboxes handed out: two people never share one unless a household does on purpose. */
  #used = new Set<string>();
  /** Companies people work at: colleagues share a company and its domain, not a name. */
  #companies: Array<{ name: string; domain: string }> = [];

  constructor(private readonly r: () => number) {}

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }
  /** Roughly Zipf: early entries are much more common, as real names are. */
  zipf<T>(xs: readonly T[]): T {
    return xs[Math.min(xs.length - 1, Math.floor(xs.length * Math.pow(this.r(), 1.3)))]!;
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  digits(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += Math.floor(this.r() * 10);
    return s;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.r() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }

  givenName(c: Culture, female: boolean): string {
    return this.zipf(GIVEN[c][female ? "f" : "m"].split(" "));
  }

  familyName(c: Culture): string {
    if (this.chance(0.55)) {
      const raw = this.zipf(FAMILY[c].split(" "));
      return raw.replace(/^De([A-Z])/, "De $1").replace(/^D([A-Z])/, "D'$1");
    }
    // The long tail: rarer names built from syllables.
    const n = 1 + Math.floor(this.r() * 2);
    let s = "";
    for (let i = 0; i < n; i++) s += this.pick(SYLLABLES);
    s += this.pick(FAMILY_ENDINGS[c]);
    return s[0]!.toUpperCase() + s.slice(1);
  }

  mobile(c: Culture): string {
    return c === "de"
      ? `+49 1${this.pick(["51", "52", "60", "62", "70", "71", "72", "76"])} ${this.digits(7)}`
      : `+39 3${this.pick(["20", "28", "33", "35", "38", "40", "47", "49"])} ${this.digits(3)} ${this.digits(4)}`;
  }

  landline(c: Culture, area: string): string {
    return c === "de" ? `+49 ${area} ${this.digits(area.length === 2 ? 7 : 6)}` : `+39 ${area} ${this.digits(7)}`;
  }

  email(given: string, family: string, c: Culture, companyDomain: string | undefined): string {
    const gn = ascii(given), fn = ascii(family).replace(/[^a-z]/g, "");
    const local = this.pick([
      `${gn}.${fn}`,
      `${gn[0]}${fn}`,
      `${gn}${fn}`,
      `${gn}_${fn}`,
      `${fn}.${gn}`,
      `${gn}.${fn}${this.digits(2)}`,
    ]);
    const domain = companyDomain && this.chance(0.6) ? companyDomain : this.pick(PROVIDERS[c]);
    let address = `${local}@${domain}`;
    // Unique as the mailbox provider sees it (Gmail ignores dots).
    const seen = (a: string) => this.#used.has(mailboxKey(a));
    while (seen(address)) address = `${local}${this.digits(2)}@${domain}`;
    this.#used.add(mailboxKey(address));
    return address;
  }

  person(): Person {
    const culture: Culture = this.chance(0.5) ? "de" : "it";
    const female = this.chance(0.5);
    const givenName = this.givenName(culture, female);
    const familyName = this.familyName(culture);
    const [city, postalPrefix, area] = this.pick(CITIES[culture]);
    const employer = this.chance(0.45) ? this.company(culture) : undefined;
    const company = employer?.name ?? "";
    const companyDomain = employer?.domain;
    const emails: ContactEmail[] = this.chance(0.75)
      ? [{ address: this.email(givenName, familyName, culture, companyDomain), kind: "work" }]
      : [];
    const phones: ContactPhone[] = [];
    if (this.chance(0.65)) phones.push({ number: this.mobile(culture), kind: "mobile" });
    if (this.chance(0.4)) phones.push({ number: this.landline(culture, area), kind: "home" });
    const addresses: PostalAddress[] = this.chance(0.5)
      ? [{
        kind: "home",
        street: `${this.pick(STREETS[culture])} ${1 + Math.floor(this.r() * 120)}`,
        postalCode: `${postalPrefix}${this.digits(3)}`,
        city,
        state: "",
        country: culture === "de" ? "DE" : "IT",
      }]
      : [];
    const birthday = this.chance(0.35) ? this.date(1940, 2004) : null;
    return {
      culture,
      female,
      salutation: "",
      title: "",
      givenName,
      middleName: this.chance(0.08) ? this.givenName(culture, female) : "",
      familyName,
      company,
      jobTitle: "",
      emails,
      phones,
      addresses,
      birthday,
      notes: "",
    };
  }

  /** A new company one time in six, else an existing one (colleagues). */
  company(c: Culture): { name: string; domain: string } {
    if (this.#companies.length > 0 && this.chance(5 / 6)) return this.pick(this.#companies);
    const stem = this.pick(COMPANY_STEMS);
    const owner = this.familyName(c).replace(/[^A-Za-zÀ-ÿ' ]/g, "");
    const name = `${owner} ${stem} ${this.pick(LEGAL_FORMS[c])}`;
    const co = { name, domain: `${ascii(owner)}-${ascii(stem)}${this.#companies.length}.example` };
    this.#companies.push(co);
    return co;
  }

  date(from: number, to: number): string {
    const y = from + Math.floor(this.r() * (to - from + 1));
    const m = 1 + Math.floor(this.r() * 12);
    const d = 1 + Math.floor(this.r() * 28);
    return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  }

  /** Another person of `p`'s household: same address and landline, often the family name and e-mail. */
  householdMember(p: Person, taken: string[]): Person {
    const female = this.chance(0.5);
    let givenName = this.givenName(p.culture, female);
    // Households whose members' names are one or alike (Mario and Maria, Lina and Nina) cannot be
    // told apart from a typo without more data; the lures here have names that differ.
    const alike = (t: string) =>
      t === givenName || areNicknames(t.toLowerCase(), givenName.toLowerCase()) ||
      jaroWinkler(t.toLowerCase(), givenName.toLowerCase()) >= 0.85 ||
      isOneSlip(t.toLowerCase(), givenName.toLowerCase());
    while (taken.some(alike)) {
      givenName = this.givenName(p.culture, female);
    }
    const familyName = this.chance(0.85) ? p.familyName : this.familyName(p.culture);
    const area = p.culture === "de" ? "30" : "06";
    const landline = p.phones.find((x) => x.kind === "home") ??
      { number: this.landline(p.culture, area), kind: "home" };
    if (!p.phones.includes(landline) && this.chance(0.7)) p.phones.push(landline);
    const phones: ContactPhone[] = [landline];
    if (this.chance(0.5)) phones.push({ number: this.mobile(p.culture), kind: "mobile" });
    const emails: ContactEmail[] = p.emails.length > 0 && this.chance(0.5)
      ? structuredClone(p.emails)
      : this.chance(0.5)
      ? [{ address: this.email(givenName, familyName, p.culture, undefined), kind: "home" }]
      : [];
    return {
      ...structuredClone(p),
      female,
      givenName,
      middleName: "",
      familyName,
      emails,
      phones,
      company: "",
      birthday: this.chance(0.35) ? this.date(1940, 2004) : null,
    };
  }

  /** A duplicate record of `p` as a CRM collects it: the same person, written differently. */
  noisy(p: Person): ContactFields {
    for (let attempt = 0;; attempt++) {
      const f = this.noisyOnce(p);
      if (attempt === 50) return strip(p);
      // A duplicate sharing nothing with its original but a name is beyond anyone's finding; the
      // benchmark's duplicates keep at least one identifier (e-mail, phone, birthday, address).
      if (sharesIdentifier(p, f)) return f;
    }
  }

  noisyOnce(p: Person): ContactFields {
    const f = strip(p);
    if (this.chance(0.1)) {
      const forms = NICKNAMES_OF(f.givenName);
      if (forms.length > 0) f.givenName = cap(this.pick(forms));
    }
    if (this.chance(0.2)) f.givenName = typo(f.givenName, this.r);
    if (this.chance(0.25)) f.familyName = typo(f.familyName, this.r);
    if (this.chance(0.04)) f.givenName = `${f.givenName[0]}.`;
    if (this.chance(0.07)) [f.givenName, f.familyName] = [f.familyName, f.givenName];
    if (this.chance(0.15)) f.givenName = f.givenName.toUpperCase();
    if (this.chance(0.03)) f.givenName = "";
    f.emails = f.emails.map((e) => ({ ...e, address: this.emailVariant(e.address, p.culture) }));
    if (this.chance(0.1)) {
      f.emails = [{ address: this.email(p.givenName, p.familyName, p.culture, undefined), kind: "home" }];
    }
    f.phones = f.phones.map((x) => ({ ...x, number: phoneVariant(x.number, this.r) }));
    if (this.chance(0.08)) f.phones = [{ number: this.mobile(p.culture), kind: "mobile" }];
    if (f.birthday && this.chance(0.15)) {
      const [y, m, d] = f.birthday.split("-");
      if (Number(d) <= 12) f.birthday = `${y}-${d}-${m}`;
    }
    if (f.company && this.chance(0.3)) {
      f.company = f.company.replace(/ (GmbH.*|AG|KG|S\.r\.l\.|S\.p\.A\.|S\.n\.c\.|SRL)$/, "");
    }
    f.addresses = f.addresses.map((a) => ({
      ...a,
      street: this.chance(0.3) ? a.street.replace("straße", "str.").replace("Via ", "V. ") : a.street,
    }));
    // Fields missing in one record; a duplicate keeps at least one way to tell who it is.
    const drops: Array<keyof ContactFields> = ["emails", "phones", "addresses", "birthday", "company"];
    for (const k of drops) {
      if (this.chance(k === "birthday" || k === "addresses" ? 0.3 : 0.25)) {
        const kept = { ...f, [k]: k === "birthday" ? null : k === "company" ? "" : [] } as ContactFields;
        if (identifiable(kept)) Object.assign(f, kept);
      }
    }
    return f;
  }

  emailVariant(address: string, c: Culture): string {
    let [local, domain] = address.split("@") as [string, string];
    if (this.chance(0.3)) local = local.split(".").map(cap).join(".");
    if (domain === "gmail.com" && this.chance(0.4)) local = local.replaceAll(".", "");
    if (this.chance(0.1)) {
      const other = this.pick(PROVIDERS[c].filter((x) => x !== domain));
      // A new provider, but never a mailbox someone else already has.
      if (!this.#used.has(mailboxKey(`${local}@${other}`))) domain = other;
    }
    if (this.chance(0.05)) local = `${local}+crm`;
    if (this.chance(0.2)) domain = domain.toUpperCase();
    return `${local}@${domain}`;
  }
}

function sharesIdentifier(p: ContactFields, f: ContactFields): boolean {
  const mail = (x: ContactFields) =>
    new Set(x.emails.map((e) => e.address.toLowerCase().split("+")[0]!.replaceAll(".", "")));
  const tel = (x: ContactFields) => new Set(x.phones.map((t) => t.number.replace(/\D/g, "").slice(-7)));
  const pm = mail(p), pt = tel(p);
  return [...mail(f)].some((m) => pm.has(m)) || [...tel(f)].some((t) => pt.has(t)) ||
    (f.birthday !== null && p.birthday !== null && f.birthday.slice(0, 4) === p.birthday.slice(0, 4)) ||
    (f.addresses.length > 0 && p.addresses.length > 0);
}

function identifiable(f: ContactFields): boolean {
  return f.emails.length > 0 || f.phones.length > 0 || f.birthday !== null || f.addresses.length > 0;
}

function NICKNAMES_OF(given: string): string[] {
  const full = given.toLowerCase();
  const out: string[] = [];
  // The generator's own knowledge of familiar forms: the table's, read backwards.
  for (const nick of KNOWN_NICKS) if (givenNameForms(nick).includes(full) && nick !== full) out.push(nick);
  return out;
}

const KNOWN_NICKS =
  "hans hannes jo sepp joe jupp fritz willi wolf alex sascha sandro andi michi mike matze max tom chris tina kathi katja lisa liesl elli grete steffi susi bernd heinz babsi franzi rob bob bill liz beth maggie jenny nick dani beppe peppe pino pina giusy gianni nanni franco checco toni tonino enzo renzo mimmo ale fede betta manu lele lello gigi gino"
    .split(" ");

function mailboxKey(address: string): string {
  const [local = "", domain = ""] = address.toLowerCase().split("@");
  return `${domain === "gmail.com" ? local.replaceAll(".", "") : local}@${domain}`;
}

function cap(s: string): string {
  return s === "" ? s : s[0]!.toUpperCase() + s.slice(1);
}

function ascii(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").replace(/ß/g, "ss").toLowerCase().replace(/[^a-z]/g, "");
}

/** One keyboard slip: a letter replaced, dropped, doubled or two swapped. */
function typo(s: string, r: () => number): string {
  if (s.length < 4) return s;
  const i = 1 + Math.floor(r() * (s.length - 2));
  switch (Math.floor(r() * 4)) {
    case 0:
      return s.slice(0, i) + "aeiourlnst"[Math.floor(r() * 10)] + s.slice(i + 1);
    case 1:
      return s.slice(0, i) + s.slice(i + 1);
    case 2:
      return s.slice(0, i) + s[i] + s.slice(i);
    default:
      return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  }
}

/** The same number written another way: national (0…) instead of +49, 0039 instead of +39, other spacing. */
function phoneVariant(n: string, r: () => number): string {
  const compact = n.replace(/\s+/g, "");
  const roll = r();
  if (roll < 0.35 && compact.startsWith("+49")) return `0${compact.slice(3, 6)} ${compact.slice(6)}`;
  if (roll < 0.35 && compact.startsWith("+39")) return `0039 ${compact.slice(3)}`;
  if (roll < 0.6) return compact.replace(/^(\+\d\d)(\d{3})(\d+)$/, "$1 ($2) $3-");
  return n;
}
