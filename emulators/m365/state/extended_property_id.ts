/**
 * Single-value extended property ids: `"{type} {guid} Name {name}"`, `"{type} {guid} Id 0x8012"`
 * or `"{type} {proptag}"` (graph-facts §3.2). The canonical key folds the case of everything but
 * the name, because Graph matches the Name part case-sensitively and the rest is conventional
 * spelling (type names and GUID hex case vary between docs examples).
 */
const NAMED = /^(\w+)\s+\{([0-9a-fA-F-]{36})\}\s+(Name|Id)\s+(.+)$/i;
const TAGGED = /^(\w+)\s+(0x[0-9a-fA-F]{1,8})$/i;

/** The canonical key of an extended property id, or `undefined` when the id is malformed. */
export function canonicalExtendedPropertyId(id: string): string | undefined {
  const trimmed = id.trim();
  const named = NAMED.exec(trimmed);
  if (named) {
    const [, type, guid, how, name] = named;
    const key = how!.toLowerCase() === "name" ? name! : name!.toLowerCase();
    return `${type!.toLowerCase()} {${guid!.toLowerCase()}} ${how!.toLowerCase()} ${key}`;
  }
  const tagged = TAGGED.exec(trimmed);
  if (tagged) return `${tagged[1]!.toLowerCase()} ${tagged[2]!.toLowerCase()}`;
  return undefined;
}
