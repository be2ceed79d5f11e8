/**
 * A list of every member of a contract union `All`, checked by the compiler. web/ imports only types
 * from shared/contract, so pickers write the values out; `satisfies readonly All[]` alone keeps them
 * valid but not complete, and a member added to the contract would silently be missing from the
 * dashboard. Here a missing member is a type error that names it.
 * @example export const STATUSES = everyOf<EventStatus>()(["received", "processed", "failed", "dead"]);
 */
export function everyOf<All extends string>() {
  return <const L extends readonly All[]>(
    list: L & ([Exclude<All, L[number]>] extends [never] ? unknown : { missing: Exclude<All, L[number]> }),
  ): L => list;
}
