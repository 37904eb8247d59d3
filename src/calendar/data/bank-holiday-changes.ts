// Changes to the computed bank holidays in England and Wales: holidays moved from their usual day
// and one-off extra holidays, from 2000 onwards. Everything else is computed by
// src/calendar/bank-holidays.ts (see docs/working-days.md), so this table is the only place where
// bank-holiday data is written by hand.
//
// HOW TO ADD A CHANGE (a new one-off holiday, or a usual holiday moved for one year)
//
// Bank holidays are changed by royal proclamation under section 1(3) of the Banking and Financial
// Dealings Act 1971, usually announced by the government a year or more ahead. When one is:
//   1. Add an entry below, in date order, with its `source`: the announcement on GOV.UK and, once
//      made, the proclamation in The Gazette (https://www.thegazette.co.uk, search "proclamation
//      bank holiday"). Check the date against https://www.gov.uk/bank-holidays once listed there.
//      - an extra day:  { kind: 'extra', date: '2030-06-03', name: '… bank holiday', source: '…' }
//      - a moved day:   { kind: 'moved', holiday: 'spring', year: 2030, date: '2030-06-04',
//                         source: '…' }  (replaces that year's usual date; add `name` only when
//                         GOV.UK names the moved day differently, as it did "(VE day)" in 2020)
//   2. Add the year's full list to the fixture in test/calendar/bank-holidays.test.ts (and a line
//      to the one-off test), then run `npx vitest run test/calendar`.
//   3. Add a row to the table in docs/working-days.md.
// A moved or extra day is taken as given: no substitute-day rule is applied to it.
//
// Checked against GOV.UK's published list (https://www.gov.uk/bank-holidays, which goes back to
// 2018; its older data from 2012), the proclamation in The Gazette where one was found, and the
// contemporaneous announcements cited below. The 2002 and 2011 entries come from the announcements
// (GOV.UK's list does not reach back that far).

import type { Day } from '../days.js';

/** The usual bank holidays of England and Wales, which a `moved` change refers to. */
export type RegularBankHoliday =
  | 'new-year'
  | 'good-friday'
  | 'easter-monday'
  | 'early-may'
  | 'spring'
  | 'summer'
  | 'christmas'
  | 'boxing-day';

/** A usual bank holiday moved to another day in one year, or a one-off extra bank holiday. */
export type BankHolidayChange =
  | {
      kind: 'moved';
      /** Which usual holiday moved. */
      holiday: RegularBankHoliday;
      /** The year whose usual holiday it replaces (the same year as `date`). */
      year: number;
      date: Day;
      /** The name when GOV.UK gives the moved day its own; otherwise the usual holiday's name. */
      name?: string;
      source: string;
    }
  | { kind: 'extra'; date: Day; name: string; source: string };

export const BANK_HOLIDAY_CHANGES: readonly BankHolidayChange[] = [
  {
    kind: 'extra',
    date: '2002-06-03',
    name: 'Golden Jubilee bank holiday',
    source: 'Written Commons answer by the Prime Minister, November 2000 (BBC News, 24 November 2000); royal proclamation',
  },
  {
    kind: 'moved',
    holiday: 'spring',
    year: 2002,
    date: '2002-06-04',
    source: 'Written Commons answer by the Prime Minister, November 2000: moved from 27 May to Tuesday 4 June',
  },
  {
    kind: 'extra',
    date: '2011-04-29',
    name: 'Royal wedding bank holiday',
    source: 'Announced by the Prime Minister, 23 November 2010 (wedding of Prince William and Catherine Middleton); royal proclamation',
  },
  {
    kind: 'moved',
    holiday: 'spring',
    year: 2012,
    date: '2012-06-04',
    source: 'Announced in the House of Lords by the Lord President of the Council, January 2010: moved from 28 May; GOV.UK',
  },
  {
    kind: 'extra',
    date: '2012-06-05',
    name: 'Diamond Jubilee bank holiday',
    source: 'Announced in the House of Lords by the Lord President of the Council, January 2010; GOV.UK',
  },
  {
    kind: 'moved',
    holiday: 'early-may',
    year: 2020,
    date: '2020-05-08',
    name: 'Early May bank holiday (VE day)',
    source: 'Announced by the Business Secretary, 7 June 2019 (75th anniversary of VE Day): moved from Monday 4 May; GOV.UK',
  },
  {
    kind: 'moved',
    holiday: 'spring',
    year: 2022,
    date: '2022-06-02',
    source: 'Announced by the Department for Digital, Culture, Media and Sport, 12 November 2020: moved from 30 May to Thursday 2 June; GOV.UK',
  },
  {
    kind: 'extra',
    date: '2022-06-03',
    name: 'Platinum Jubilee bank holiday',
    source: 'Announced by the Department for Digital, Culture, Media and Sport, 12 November 2020; GOV.UK',
  },
  {
    kind: 'extra',
    date: '2022-09-19',
    name: 'Bank Holiday for the State Funeral of Queen Elizabeth II',
    source: 'Proclamation appointing Monday 19th September 2022 as a bank holiday, The Gazette notice 4158896; GOV.UK',
  },
  {
    kind: 'extra',
    date: '2023-05-08',
    name: 'Bank holiday for the coronation of King Charles III',
    source: 'Announced by the Prime Minister, 6 November 2022; proclamation at the Privy Council of 9 November 2022; GOV.UK',
  },
];
