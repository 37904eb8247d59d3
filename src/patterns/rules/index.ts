// The rule catalogue, version 1 (spec/rules.md), in the catalogue's order.
import type { PatternRule } from '../rule.js';
import { childNotSeen } from './child-not-seen.rule.js';
import { closureRisk } from './closure-risk.rule.js';
import { cumulativeRisk } from './cumulative-risk.rule.js';
import { hiddenAdult } from './hidden-adult.rule.js';
import { historyAtFrontDoor } from './history-at-front-door.rule.js';
import { lowAttendance } from './low-attendance.rule.js';
import { noNeglectAssessment } from './no-neglect-assessment.rule.js';
import { planDrift } from './plan-drift.rule.js';
import { repeatConcerns } from './repeat-concerns.rule.js';
import { repeatPlans } from './repeat-plans.rule.js';
import { timescale } from './timescale.rule.js';
import { unbornBaby } from './unborn-baby.rule.js';
import { wasNotBrought } from './was-not-brought.rule.js';
import { youngChildEd } from './young-child-ed.rule.js';

/** Every rule, in the catalogue's order. */
export const ALL_RULES: readonly PatternRule<unknown>[] = [
  wasNotBrought,
  lowAttendance,
  repeatConcerns,
  cumulativeRisk,
  unbornBaby,
  hiddenAdult,
  closureRisk,
  repeatPlans,
  planDrift,
  noNeglectAssessment,
  youngChildEd,
  childNotSeen,
  timescale,
  historyAtFrontDoor,
] as readonly PatternRule<unknown>[];
