import type { ZodError } from 'zod';

/** Errors in the shape the GOV.UK error summary and inline error messages want. */
export interface FormErrors {
  summary: { text: string; href: string }[];
  fields: Record<string, { text: string }>;
}

/** Turns a zod error into one message per field (the first), in form order. */
export function formErrors(error: ZodError): FormErrors {
  const fields: Record<string, { text: string }> = {};
  const summary: FormErrors['summary'] = [];
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (fields[field]) continue;
    fields[field] = { text: issue.message };
    summary.push({ text: issue.message, href: `#${field}` });
  }
  return { summary, fields };
}
