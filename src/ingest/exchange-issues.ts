// How problems in an exchange file are described. Every message names the object (its place in
// the file and its id), the field, and what was wrong, so that the sender can find and fix it:
//
//   events[212] (id "hosp:e14"): date "2019-13-02" is not a date
//   line 213 (id "hosp:e14"): date "2019-13-02" is not a date      (NDJSON)
//
// Values are quoted in messages only where they are codes, dates or ids. Names, NHS numbers,
// postcodes and free text are personal data and are never repeated back: the place and the field
// are enough to find them.
import type { z } from 'zod';
import { UserFacingError } from '../shared/errors.js';

/** Where an object is: `events[3]`, `records[0]`, `expect[1]`, `incident`, `file`, or `line 213` in NDJSON; and its id when it has one. */
export interface ObjectLocation {
  object: string;
  id?: string;
}

/**
 * One problem with one object. As a rejection it keeps the object out; as a warning it is only
 * reported. `field` is a path such as `date`, `subjects[1]` or `address.postcode`, or null when the
 * problem is the object as a whole (a line that is not JSON). `message` starts with the field.
 */
export interface Issue {
  location: ObjectLocation;
  field: string | null;
  message: string;
}

/** A problem before it is placed in the file: the field and the message. */
export interface FieldProblem {
  field: string | null;
  message: string;
}

/** The one-line form of an issue: `events[212] (id "hosp:e14"): date "2019-13-02" is not a date`. */
export function formatIssue(issue: Issue): string {
  const id = issue.location.id === undefined ? '' : ` (id ${quote(issue.location.id)})`;
  return `${issue.location.object}${id}: ${issue.message}`;
}

/** Places field problems at a location. */
export function locate(location: ObjectLocation, problems: readonly FieldProblem[]): Issue[] {
  return problems.map((p) => ({ location, field: p.field, message: p.message }));
}

const MAX_QUOTED = 60;

/** A string in double quotes as JSON writes it, shortened when long (a stray paragraph should not fill the screen). */
export function quote(text: string): string {
  const shown = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED - 1)}…` : text;
  return JSON.stringify(shown);
}

/** What a JSON value is, for "must be X, not Y": `the number 5`, `true`, `a list`, `an object`, `null`, `"text"`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

/** A field path from a zod issue path: `subjects[1]`, `address.postcode`, `grades.nutrition`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

/**
 * Field problems from a failed zod parse. The schemas in `exchange-schema.ts` give each issue a
 * message that continues the field name ("is missing", `"2019-13-02" is not a date`); this puts
 * the field in front. One message per field: the first is the one that matters.
 */
export function problemsFromZod(error: z.ZodError): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    const field = fieldPath(issue.path);
    if (seen.has(field)) continue;
    seen.add(field);
    problems.push({ field: field === '' ? null : field, message: field === '' ? issue.message : `${field} ${issue.message}` });
  }
  return problems;
}

/** Why a whole file was refused, for callers that act on the kind of refusal (tests, the web upload page). */
export type RefusalReason = 'empty' | 'too-large' | 'not-utf8' | 'not-json' | 'not-exchange-format' | 'bad-structure' | 'no-header';

/**
 * The whole file was refused: it is not JSON, not this format, or its structure is wrong, so no
 * object in it can be trusted. The message is one plain-English sentence naming the file; the CLI
 * prints it and exits with status 2.
 */
export class FileRefusedError extends UserFacingError {
  readonly reason: RefusalReason;

  constructor(message: string, reason: RefusalReason, options: { cause?: unknown } = {}) {
    super(message, { ...options, exitCode: 2 });
    this.name = 'FileRefusedError';
    this.reason = reason;
  }
}
