// Small families for the robustness tests: the shared scenario files show the rules on five
// histories; these hand-built ones sit just inside (ordinary) or just over (alert) each threshold in
// ways those files do not, so a rule fitted to the five files, or drifting from the catalogue's
// wording, shows up here. Built with the rule tests' history builder and run through the engine with
// every rule, as a replay would.
import type { Day } from '../../../src/calendar/days.js';
import type { AlertRecord } from '../../../src/patterns/engine.js';
import type { RuleId } from '../../../src/patterns/rule.js';
import { ALL_RULES } from '../../../src/patterns/rules/index.js';
import { HistoryBuilder, runRules, type RunOptions } from '../rules/history-builder.js';

/** A builder with the usual agencies, all in the invented authority "Southmoor". */
export function agencies(): HistoryBuilder {
  return new HistoryBuilder()
    .source('eh', 'early-help', 'Southmoor')
    .source('school', 'school', 'Southmoor')
    .source('nursery', 'early-years', 'Southmoor')
    .source('hv', 'health-visiting', 'Southmoor')
    .source('mw', 'midwifery', 'Southmoor')
    .source('gp', 'gp', 'Southmoor')
    .source('hosp', 'hospital', 'Southmoor')
    .source('police', 'police', 'Southmoor')
    .source('housing', 'housing', 'Southmoor');
}

/** A mother, a father living with her, and one child, all known from the start. */
export function couple(childDob: Day, options: { fatherElsewhere?: boolean } = {}): HistoryBuilder {
  const b = agencies();
  b.person('csc:mum', { dob: '1990-03-01', sex: 'female' });
  b.person('csc:dad', { dob: '1988-07-01', sex: 'male' });
  b.person('csc:amy', { dob: childDob, sex: 'female' });
  b.link('csc:mum', 'mother', 'csc:amy');
  b.link('csc:dad', 'father', 'csc:amy', { livesElsewhere: options.fatherElsewhere === true });
  if (options.fatherElsewhere !== true) b.link('csc:dad', 'partner', 'csc:mum');
  return b;
}

/** Every rule, through the engine, day by day to `until`. */
export function runAll(b: HistoryBuilder, until: Day, options: Omit<RunOptions, 'until'> = {}): AlertRecord[] {
  return runRules(b, ALL_RULES, { until, ...options });
}

/** The alerts in a compact, readable form for assertions. */
export function summary(alerts: readonly AlertRecord[]): { rule: RuleId; subject: string; unborn: string | null; raised: Day; severity: string }[] {
  return alerts.map((a) => ({ rule: a.rule, subject: a.subject, unborn: a.unborn, raised: a.raised, severity: a.raisedSeverity }));
}
