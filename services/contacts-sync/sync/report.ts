import type { ContactPlan } from "./plan_types.ts";

/** The report a run stores and the preview shows (A9): conflicts, warnings, what would be done, with counts. */
export function contactReport(plan: ContactPlan) {
  const cap = <T>(xs: readonly T[]) => xs.slice(0, 200);
  const p = plan.preview;
  return {
    conflicts: cap(plan.conflicts),
    warnings: cap(plan.warnings),
    preview: {
      linked: cap(p.linked),
      createInOutlook: cap(p.createInOutlook),
      createInCrm: cap(p.createInCrm),
      probableDuplicates: cap(p.probableDuplicates),
      invalid: cap(p.invalid),
      notImported: cap(p.notImported),
      counts: {
        linked: p.linked.length,
        createInOutlook: p.createInOutlook.length,
        createInCrm: p.createInCrm.length,
        probableDuplicates: p.probableDuplicates.length,
        invalid: p.invalid.length,
        notImported: p.notImported.length,
      },
    },
  };
}
