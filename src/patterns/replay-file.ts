// Reading a case-history file for a replay: every object validated exactly as an import would
// validate it, collected in memory (replay files are whole case histories, not bulk feeds), with
// the scenario parts. Any rejected object makes the replay refuse the file (exit status 2).
import { formatIssue, type Issue } from '../ingest/exchange-issues.js';
import type { NormalisedEvent, NormalisedRecord, NormalisedRelationship, NormalisedSource } from '../ingest/exchange-schema.js';
import { readExchangeFile } from '../ingest/read-exchange-file.js';
import type { ScenarioItem } from '../ingest/exchange-validator.js';
import type { ReplayInput } from './replay.js';

/** A file read for replay: its objects, and a sentence for each object that was not valid. */
export interface ReplayFile {
  title: string | undefined;
  input: ReplayInput;
  problems: string[];
}

function accepted<T>(items: readonly ScenarioItem<T>[], problems: string[]): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (item.status === 'accepted') out.push(item.normalised);
    else problems.push(...item.rejections.map((i: Issue) => formatIssue(i)));
  }
  return out;
}

/** Reads and validates a case-history file (JSON or NDJSON). Throws FileRefusedError for a file that is not the format. */
export async function readReplayFile(path: string): Promise<ReplayFile> {
  const reading = await readExchangeFile(path);
  const sources: NormalisedSource[] = [];
  const records: NormalisedRecord[] = [];
  const relationships: NormalisedRelationship[] = [];
  const events: NormalisedEvent[] = [];
  const problems: string[] = [];
  for await (const item of reading.items) {
    if (item.status === 'rejected') {
      problems.push(...item.rejections.map(formatIssue));
      continue;
    }
    if (item.kind === 'source') sources.push(item.normalised);
    else if (item.kind === 'record') records.push(item.normalised);
    else if (item.kind === 'relationship') relationships.push(item.normalised);
    else events.push(item.normalised);
  }
  const scenario = reading.scenario;
  const expect = scenario ? accepted(scenario.expect, problems) : [];
  const expectNot = scenario ? accepted(scenario.expectNot, problems) : [];
  const incident = scenario?.incident ? (accepted([scenario.incident], problems)[0] ?? null) : null;
  return { title: reading.title, input: { sources, records, relationships, events, expect, expectNot, incident }, problems };
}
