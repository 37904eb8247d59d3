// Development aid: replay a scenario in memory and print what was raised against what was expected.
import { readReplayFile } from '../src/patterns/replay-file.js';
import { replay } from '../src/patterns/replay.js';

const [path, asOf] = process.argv.slice(2);
const file = await readReplayFile(path!);
if (file.problems.length) console.error(file.problems);
const t = Date.now();
const out = replay(file.input, asOf ? { asOf } : {});
console.error(`replayed in ${Date.now() - t} ms`);
for (const x of out.expectations) console.log(x.expectNot ? (x.violated ? 'VIOLATED' : 'ok-not  ') : x.met ? 'met     ' : 'MISSED  ', x.rule, x.subject, x.by ?? x.before ?? '', x.raised ?? '');
console.log(JSON.stringify(out.summary));
if (process.env.ALERTS) for (const a of out.alerts) console.log(a.raised, a.rule, a.subjectRecords[0], a.severity, a.evidence.join(','), '|', a.explanation);
