import type { Appointment, Contact, CrmGroup, CrmUser } from "@app/shared/contract";
import type { CreateAppointmentInput, CreateContactInput } from "./admin/schemas.ts";
import type { CrmAdminClient } from "./admin_client.ts";

/** What {@link seedDemo} created (or found, when the tenant already existed). */
export interface DemoSeed {
  tenantId: string;
  /** False when the tenant was already there and nothing was written. */
  seeded: boolean;
  users: CrmUser[];
  groups: CrmGroup[];
  contacts: Contact[];
  appointments: Appointment[];
}

/** Options of {@link seedDemo}. */
export interface DemoSeedOptions {
  tenantId?: string;
  /** Appointments are placed relative to this day (default: now). */
  now?: Date;
  /** Domain of the agents' e-mail addresses, to match the demo mailboxes. */
  mailDomain?: string;
}

const ROME = "Europe/Rome";
const BERLIN = "Europe/Berlin";

/** `YYYY-MM-DD` of `now` in `zone`, plus `days`. */
function dayIn(now: Date, zone: string, days: number): string {
  const local = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(now);
  const [y, m, d] = local.split("-").map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}

/** Days from `now` (in `zone`) to the next given weekday (1 = Monday), at least 1. */
function daysToWeekday(now: Date, zone: string, weekday: number): number {
  const today = new Date(`${dayIn(now, zone, 0)}T00:00:00Z`).getUTCDay();
  return ((weekday - today + 7) % 7) || 7;
}

const at = (date: string, time: string, timeZone: string) => ({ dateTime: `${date}T${time}`, timeZone });

/** ~20 contacts of an Italian–German agency: buyers, sellers, notaries, banks, craftsmen. */
function demoContacts(giulia: string, markus: string): CreateContactInput[] {
  const both = [giulia, markus];
  return [
    {
      salutation: "Sig.",
      givenName: "Lorenzo",
      familyName: "Ferrari",
      company: "Ferrari & Figli S.r.l.",
      jobTitle: "Amministratore",
      emails: [{ address: "lorenzo.ferrari@ferrari-figli.example", kind: "work" }],
      phones: [{ number: "+39 02 8765 4321", kind: "business" }, { number: "+39 333 123 4567", kind: "mobile" }],
      addresses: [{
        kind: "business",
        street: "Via Torino 41",
        postalCode: "20123",
        city: "Milano",
        country: "Italia",
      }],
      notes: "Cerca un trilocale in zona Brera, budget 650.000 €.",
      syncUserIds: [giulia],
    },
    {
      salutation: "Sig.ra",
      givenName: "Chiara",
      familyName: "Colombo",
      emails: [{ address: "chiara.colombo@posta.example", kind: "home" }],
      phones: [{ number: "+39 347 555 0192", kind: "mobile" }],
      birthday: "1984-03-17",
      notes: "Vende villa a Monza; preferisce essere contattata la sera.",
      syncUserIds: [giulia],
    },
    {
      salutation: "Dott.",
      title: "Notaio",
      givenName: "Alessandro",
      familyName: "Ricci",
      company: "Studio Notarile Ricci",
      jobTitle: "Notaio",
      emails: [{ address: "segreteria@notaio-ricci.example", kind: "work" }],
      phones: [{ number: "+39 02 4567 8901", kind: "business" }],
      addresses: [{
        kind: "business",
        street: "Corso Magenta 12",
        postalCode: "20121",
        city: "Milano",
        country: "Italia",
      }],
      syncUserIds: both,
    },
    {
      salutation: "Sig.",
      givenName: "Marco",
      familyName: "Bianchi",
      // Invalid on purpose: it must be skipped and reported, never block the sync (C6).
      emails: [{ address: "marco.bianchi@@casa-esempio", kind: "home" }],
      phones: [{ number: "+39 335 987 6543", kind: "mobile" }],
      notes: "Indirizzo e-mail da verificare.",
      syncUserIds: [giulia],
    },
    {
      salutation: "Sig.ra",
      givenName: "Francesca",
      familyName: "Romano",
      // No e-mail at all: still syncs (C6).
      phones: [{ number: "+39 02 3344 5566", kind: "home" }],
      addresses: [{ kind: "home", street: "Via Solferino 8", postalCode: "20121", city: "Milano", country: "Italia" }],
      syncUserIds: [giulia],
    },
    {
      givenName: "Giorgio",
      familyName: "Gallo",
      company: "Banca Lombarda del Credito",
      jobTitle: "Consulente mutui",
      emails: [{ address: "g.gallo@banca-lombarda.example", kind: "work" }],
      phones: [{ number: "+39 02 7788 9900", kind: "business" }],
      syncUserIds: both,
    },
    {
      salutation: "Sig.ra",
      givenName: "Valentina",
      middleName: "Maria",
      familyName: "Greco",
      emails: [{ address: "valentina.greco@posta.example", kind: "home" }],
      phones: [{ number: "+39 340 112 2334", kind: "mobile" }],
      birthday: "1991-11-02",
      syncUserIds: [],
    },
    {
      givenName: "Paolo",
      familyName: "Marino",
      company: "Marino Costruzioni",
      jobTitle: "Geometra",
      emails: [{ address: "paolo@marino-costruzioni.example", kind: "work" }],
      phones: [{ number: "+39 039 221 1445", kind: "business" }],
      archived: true, // archived: never synced to Outlook although flagged (C3)
      syncUserIds: [giulia],
    },
    {
      salutation: "Herr",
      givenName: "Hans",
      familyName: "Müller",
      company: "Müller Hausverwaltung GmbH",
      jobTitle: "Geschäftsführer",
      emails: [{ address: "hans.mueller@mueller-hv.example", kind: "work" }],
      phones: [{ number: "+49 89 1234 5678", kind: "business" }, { number: "+49 171 234 5678", kind: "mobile" }],
      addresses: [{
        kind: "business",
        street: "Leopoldstraße 28",
        postalCode: "80802",
        city: "München",
        country: "Deutschland",
      }],
      syncUserIds: [markus],
    },
    {
      salutation: "Herr",
      givenName: "Hans",
      familyName: "Mueller",
      // A probable duplicate of Hans Müller (same mobile) for the duplicate check (D1).
      phones: [{ number: "0171 2345678", kind: "mobile" }],
      notes: "Am Telefon aufgenommen.",
      syncUserIds: [markus],
    },
    {
      salutation: "Frau",
      title: "Dr.",
      givenName: "Sabine",
      familyName: "Schneider",
      company: "Notariat Schneider",
      jobTitle: "Notarin",
      emails: [{ address: "kanzlei@notariat-schneider.example", kind: "work" }],
      phones: [{ number: "+49 89 9876 5432", kind: "business" }],
      addresses: [{
        kind: "business",
        street: "Maximilianstraße 10",
        postalCode: "80539",
        city: "München",
        country: "Deutschland",
      }],
      syncUserIds: both,
    },
    {
      salutation: "Frau",
      givenName: "Katharina",
      familyName: "Fischer",
      emails: [{ address: "k.fischer@mail.example", kind: "home" }],
      phones: [{ number: "+49 152 3456 7890", kind: "mobile" }],
      birthday: "1979-06-30",
      notes: "Sucht 4-Zimmer-Wohnung in Schwabing, Kaufpreis bis 1,2 Mio. €.",
      syncUserIds: [markus],
    },
    {
      salutation: "Herr",
      givenName: "Thomas",
      familyName: "Wagner",
      company: "Stadtsparkasse München",
      jobTitle: "Baufinanzierung",
      emails: [{ address: "thomas.wagner@sparkasse-muc.example", kind: "work" }],
      phones: [{ number: "+49 89 2222 3333", kind: "business" }],
      syncUserIds: [markus],
    },
    {
      salutation: "Frau",
      givenName: "Julia",
      familyName: "Becker",
      emails: [{ address: "julia.becker@mail.example", kind: "home" }, {
        address: "j.becker@agentur.example",
        kind: "work",
      }],
      phones: [{ number: "+49 160 9988 7766", kind: "mobile" }],
      addresses: [{
        kind: "home",
        street: "Hohenzollernstraße 5",
        postalCode: "80801",
        city: "München",
        country: "Deutschland",
      }],
      syncUserIds: [markus],
    },
    {
      salutation: "Herr",
      givenName: "Stefan",
      familyName: "Hoffmann",
      company: "Hoffmann Elektrotechnik",
      jobTitle: "Meister",
      phones: [{ number: "+49 89 4455 6677", kind: "business" }],
      emails: [{ address: "info@hoffmann-elektro.example", kind: "work" }],
      syncUserIds: [],
    },
    {
      salutation: "Frau",
      givenName: "Anna",
      familyName: "Schulz",
      emails: [{ address: "anna.schulz@mail.example", kind: "home" }],
      birthday: "1966-01-09",
      notes: "Erbengemeinschaft, Verkauf Mehrfamilienhaus in Pasing.",
      syncUserIds: [markus],
    },
    {
      salutation: "Sig.",
      givenName: "Matteo",
      familyName: "Conti",
      company: "Conti Interior Design",
      emails: [{ address: "matteo@conti-design.example", kind: "work" }],
      phones: [{ number: "+39 02 6655 4433", kind: "business" }],
      syncUserIds: both,
    },
    {
      salutation: "Frau",
      givenName: "Elena",
      familyName: "Rossi-Weber",
      emails: [{ address: "elena.rossi-weber@mail.example", kind: "home" }],
      phones: [{ number: "+49 176 1122 3344", kind: "mobile" }, { number: "+39 349 556 6778", kind: "mobile" }],
      notes: "Cerca casa vacanze sul Lago di Garda / Ferienhaus am Gardasee.",
      syncUserIds: both,
    },
    {
      salutation: "Herr",
      givenName: "Felix",
      familyName: "Zimmermann",
      company: "Zimmermann Architekten",
      jobTitle: "Architekt",
      emails: [{ address: "fz@zimmermann-architekten.example", kind: "work" }],
      syncUserIds: [],
    },
    {
      salutation: "Sig.ra",
      givenName: "Sara",
      familyName: "Lombardi",
      emails: [{ address: "sara.lombardi@posta.example", kind: "home" }],
      phones: [{ number: "+39 338 770 0112", kind: "mobile" }],
      syncUserIds: [giulia],
    },
  ];
}

/**
 * Seeds the demo tenant: agents Giulia (Milano) and Markus (München), their assistant Sofia, the
 * sales group, ~20 contacts (one with an invalid e-mail, one without, one archived, one probable
 * duplicate) and appointments around today: a viewing, a weekly series with a cancelled
 * occurrence, a group open house, a notary appointment, an all-day fair and a private one.
 * Calling it again when the tenant exists writes nothing and returns what is there.
 */
export async function seedDemo(admin: CrmAdminClient, options: DemoSeedOptions = {}): Promise<DemoSeed> {
  const tenantId = options.tenantId ?? "demo";
  const now = options.now ?? new Date();
  const domain = options.mailDomain ?? "immobilien-demo.example";
  if ((await admin.tenants()).some((t) => t.id === tenantId)) {
    const [users, groups, contacts, appointments] = await Promise.all([
      admin.users(tenantId),
      admin.groups(tenantId),
      admin.contacts(tenantId),
      admin.appointments(tenantId),
    ]);
    return { tenantId, seeded: false, users, groups, contacts, appointments };
  }

  await admin.createTenant({ id: tenantId, name: "Romano & Weber Immobilien" });
  const users = [
    await admin.createUser(tenantId, { id: "giulia", displayName: "Giulia Romano", email: `giulia@${domain}` }),
    await admin.createUser(tenantId, { id: "markus", displayName: "Markus Weber", email: `markus@${domain}` }),
    await admin.createUser(tenantId, { id: "sofia", displayName: "Sofia Esposito", email: `sofia@${domain}` }),
  ];
  const sales = await admin.createGroup(tenantId, {
    id: "vendite",
    name: "Team Vendite",
    memberIds: ["giulia", "markus"],
  });
  const { ids } = await admin.createContacts(tenantId, demoContacts("giulia", "markus"));
  const contact = (i: number) => ({ contactId: ids[i]! });

  const tomorrow = dayIn(now, ROME, 1);
  const monday = dayIn(now, ROME, daysToWeekday(now, ROME, 1));
  const inThreeDays = dayIn(now, ROME, 3);
  const inFiveDays = dayIn(now, BERLIN, 5);
  const fairStart = dayIn(now, BERLIN, 10);
  const thirdMonday = dayIn(new Date(`${monday}T12:00:00Z`), ROME, 14);
  const appointments: CreateAppointmentInput[] = [
    {
      subject: "Visita trilocale Brera",
      location: "Via Fiori Chiari 7, 20121 Milano",
      description: "Visita con il Sig. Ferrari; portare planimetria e APE.",
      start: at(tomorrow, "10:00", ROME),
      end: at(tomorrow, "11:00", ROME),
      organizerId: "giulia",
      participantIds: ["giulia"],
      contacts: [contact(0)],
      reminderMinutes: 30,
    },
    {
      subject: "Riunione settimanale / Wochenbesprechung",
      location: "Teams",
      start: at(monday, "09:00", ROME),
      end: at(monday, "09:30", ROME),
      organizerId: "giulia",
      participantIds: ["giulia", "markus", "sofia"],
      reminderMinutes: 15,
      series: {
        pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"], firstDayOfWeek: "monday" },
        range: { type: "numbered", startDate: monday, numberOfOccurrences: 26 },
        exceptions: [{ originalStart: `${thirdMonday}T09:00`, cancelled: true }],
      },
    },
    {
      subject: "Open House Villa Monza",
      location: "Viale Cesare Battisti 3, 20900 Monza",
      start: at(inThreeDays, "15:00", ROME),
      end: at(inThreeDays, "18:00", ROME),
      organizerId: "giulia",
      groupIds: [sales.id],
      contacts: [contact(1), { contactId: ids[16]!, optional: true }],
      resources: [{ id: "res-brochure", name: "Brochure e cartelli" }],
      reminderMinutes: 60,
    },
    {
      subject: "Notartermin Kaufvertrag Schwabing",
      location: "Notariat Schneider, Maximilianstraße 10, München",
      start: at(inFiveDays, "14:00", BERLIN),
      end: at(inFiveDays, "15:30", BERLIN),
      organizerId: "markus",
      participantIds: ["markus"],
      contacts: [contact(10), contact(11), contact(12)],
      reminderMinutes: 120,
    },
    {
      subject: "Expo Real München",
      location: "Messe München",
      start: at(fairStart, "00:00", BERLIN),
      end: at(dayIn(now, BERLIN, 12), "00:00", BERLIN),
      allDay: true,
      organizerId: "markus",
      participantIds: ["markus", "giulia"],
      reminderMinutes: 1_440,
    },
    {
      subject: "Zahnarzt",
      start: at(inFiveDays, "08:00", BERLIN),
      end: at(inFiveDays, "09:00", BERLIN),
      organizerId: "markus",
      participantIds: ["markus"],
      private: true,
    },
  ];
  const created: Appointment[] = [];
  for (const a of appointments) created.push(await admin.createAppointment(tenantId, a));
  return {
    tenantId,
    seeded: true,
    users,
    groups: [sales],
    contacts: await admin.contacts(tenantId),
    appointments: created,
  };
}
