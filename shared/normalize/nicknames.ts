import { normalizeName } from "./name.ts";

// Short and familiar forms of given names common in the CRM's markets (German, Italian, English).
// Each line: the full name, then forms that stand for it. A form may stand for several names
// ("Enzo": Vincenzo, Lorenzo): two names are compatible when they share one.
const TABLE = `
johannes: hans hannes jo johann hansi
johann: hans hannes hansi
josef: sepp seppl joe jupp beppo
joseph: joe joey jo
friedrich: fritz friedl fred
wilhelm: willi willy wim
wolfgang: wolf wolfi
alexander: alex sascha xander sandro
alexandra: alex sandra
andreas: andi anderl
michael: michi mike micha
matthias: matze hias matti
maximilian: max maxi
thomas: tom tommi thommy
christian: chris christl
christoph: chris christl
christina: tina christl chris
christine: tina christl chris
katharina: kathi katja kati kathrin
elisabeth: lisa liesl elli sissi lise
margarete: grete gretl margit
stefanie: steffi
susanne: susi
bernhard: bernd
gottfried: friedl
heinrich: heinz hein
barbara: babsi bärbel
franziska: franzi
robert: rob bob robby bert
william: bill will billy
richard: rick dick richie
elizabeth: liz beth betty lizzy
margaret: maggie peggy meg
jennifer: jenny jen
nicholas: nick nicky
daniel: dani dan danny
giuseppe: beppe peppe pino peppino
giuseppina: pina giusy peppina
giovanni: gianni nanni vanni
francesco: franco checco cecco
francesca: franca checca
antonio: toni tonino totò nino
antonella: nella
salvatore: totò turi
vincenzo: enzo vince
lorenzo: enzo renzo
domenico: mimmo
alessandro: sandro alex ale
alessandra: sandra ale
federico: fede
roberto: rob robby
elisabetta: betta
massimiliano: max massi
emanuele: manu lele
raffaele: lello
luigi: gigi gino
gabriele: gabri lele
`;

function build(): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  const add = (name: string, canonical: string) => {
    let s = groups.get(name);
    if (!s) groups.set(name, s = new Set());
    s.add(canonical);
  };
  for (const line of TABLE.split("\n")) {
    const [full, forms] = line.split(":");
    if (!full || forms === undefined) continue;
    const canonical = normalizeName(full);
    add(canonical, canonical);
    for (const f of forms.split(" ")) if (f.trim() !== "") add(normalizeName(f), canonical);
  }
  return groups;
}

const NICKNAMES = build();

/** The full names a given name may stand for: itself, plus what it is a short form of (`beppe` → giuseppe). */
export function givenNameForms(normalized: string): string[] {
  const known = NICKNAMES.get(normalized);
  return known ? [...new Set([normalized, ...known])] : [normalized];
}

/** True when two normalised given names can be one person's by a familiar form (`Hans` ~ `Johannes`). */
export function areNicknames(a: string, b: string): boolean {
  if (a === b) return true;
  const fa = givenNameForms(a), fb = new Set(givenNameForms(b));
  return fa.some((f) => fb.has(f));
}
