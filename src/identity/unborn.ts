/**
 * Unborn babies. An unborn record (kind "unborn") usually has no first name, no date of birth and
 * no NHS number, only a surname and an expected date, so a score cannot tell it from any other
 * baby due in that family name around then. It is therefore never linked by score:
 *
 * - to a born child, only by the source itself (the same `sourceRecordId`, one case file) or by a
 *   `birth` event, which the caller passes as a decision ("same");
 * - to another source's unborn record, through the mother: once the mothers' records have been
 *   resolved into one person, her unborn records from different sources whose expected dates are
 *   within 28 days of each other are one pregnancy (the exchange format's own rule) and, when each
 *   source recorded exactly one baby, one baby. With twins recorded (two unborn records in one
 *   source) the babies cannot be told apart before birth, so nothing is linked.
 */

/** One unborn record, with the person its mother was resolved to. */
export interface UnbornRecordRef {
  id: string;
  source: string | null;
  /** Expected date of delivery as days since 1970-01-01 (null when not recorded). */
  expectedDay: number | null;
  /** The resolved person of the mother (any stable key). */
  motherPerson: string;
}

/** Links between unborn records of one baby, and pregnancies left alone because of twins. */
export interface UnbornLinks {
  links: [string, string][];
  /** Record ids of pregnancies where some source recorded more than one baby. */
  ambiguous: string[][];
}

/** Days within which two expected dates of one mother are one pregnancy (exchange format). */
export const SAME_PREGNANCY_DAYS = 28;

/** Groups unborn records by mother and pregnancy and links the ones that must be one baby. */
export function linkUnbornRecords(records: readonly UnbornRecordRef[]): UnbornLinks {
  const byMother = new Map<string, UnbornRecordRef[]>();
  for (const r of records) {
    if (r.expectedDay === null) continue;
    const list = byMother.get(r.motherPerson);
    if (list) list.push(r);
    else byMother.set(r.motherPerson, [r]);
  }
  const links: [string, string][] = [];
  const ambiguous: string[][] = [];
  for (const list of byMother.values()) {
    list.sort((x, y) => x.expectedDay! - y.expectedDay! || x.id.localeCompare(y.id));
    const pregnancies: UnbornRecordRef[][] = [];
    for (const r of list) {
      const current = pregnancies[pregnancies.length - 1];
      const last = current?.[current.length - 1];
      if (current && last && r.expectedDay! - last.expectedDay! <= SAME_PREGNANCY_DAYS) current.push(r);
      else pregnancies.push([r]);
    }
    for (const pregnancy of pregnancies) {
      if (pregnancy.length < 2) continue;
      const perSource = new Map<string, number>();
      for (const r of pregnancy) perSource.set(r.source ?? `(no source) ${r.id}`, (perSource.get(r.source ?? `(no source) ${r.id}`) ?? 0) + 1);
      if ([...perSource.values()].some((n) => n > 1)) {
        ambiguous.push(pregnancy.map((r) => r.id));
        continue;
      }
      for (let i = 1; i < pregnancy.length; i += 1) links.push([pregnancy[0]!.id, pregnancy[i]!.id]);
    }
  }
  return { links, ambiguous };
}
