import { readFileSync } from 'node:fs';
import { foldText } from '../fold.js';

/**
 * Forenames and the short forms and pet names people use for them, built when the module loads
 * from two public lists vendored unmodified beside this file (see NICKNAMES-SOURCE.md):
 *
 * - `nicknames.csv`: carltonnorthern/nicknames (Apache-2.0), one `name1,has_nickname,name2` row
 *   per pair. It was mined from a US genealogy page, so it holds old and American forms as well as
 *   current ones, and some rows run the other way (a nickname, then the names it may stand for:
 *   "bill" → william, robert).
 * - `nicknames-nhse.csv`: the same list as NHS England's probabilistic linkage pipeline uses it
 *   (nhsengland/NHSE_probabilistic_linkage, MIT), one row per name: the name, then its nicknames,
 *   blank cells as padding. As vendored it adds no pair to `nicknames.csv`; it is read as well so
 *   that a later copy with NHS England's own additions is used without a code change.
 *
 * To these are added `SUPPLEMENT` (British forms from Throughline's earlier hand-written table that
 * neither list has) and from them are taken `NOT_USED` (pairs that join two different given names).
 * Every entry is folded as names are (`foldText`, without spaces: lower case, no accents, no
 * punctuation, so dotted initials "k.c." become "kc"), and a row saying a name is its own nickname
 * is skipped. Which relations between the resulting forms count as evidence is decided in
 * ../nicknames.ts.
 */

/**
 * Forms from Throughline's earlier hand-written table (written from common knowledge of English and
 * UK naming, not copied from any list) that neither public list has: mostly British short forms
 * ("alf", "kaz", "del", "bex", "gem") and a few spellings.
 */
export const SUPPLEMENT: Readonly<Record<string, readonly string[]>> = {
  abigail: ['abi'],
  adrian: ['ade'],
  albert: ['bertie', 'albie'],
  alexander: ['alek', 'xander', 'lex', 'ali'],
  alexandra: ['alexa', 'lexi', 'lexie', 'ali'],
  alfred: ['alf', 'alfie', 'freddie'],
  alice: ['ally', 'ali'],
  alison: ['ally'],
  amelia: ['milly', 'mia'],
  angela: ['ange'],
  ann: ['nancy'],
  anne: ['nancy'],
  annabel: ['annie', 'bella'],
  anthony: ['anton'],
  antony: ['tony', 'ant'],
  arthur: ['artie'],
  barbara: ['barb'],
  beatrice: ['bee'],
  benjamin: ['benji'],
  caroline: ['caz', 'carly'],
  cassandra: ['cass'],
  catherine: ['cath', 'kate', 'katie', 'kat', 'cat', 'kitty'],
  charles: ['chas', 'chaz'],
  charlotte: ['charlie', 'lotte'],
  christina: ['chrissie'],
  christine: ['chrissie'],
  christopher: ['topher'],
  colin: ['col'],
  danielle: ['danni', 'elle'],
  david: ['davie', 'dai', 'dafydd'],
  deborah: ['debs', 'debra'],
  dennis: ['den'],
  derek: ['del', 'dex'],
  douglas: ['dougie'],
  eleanor: ['elly', 'nell', 'nellie', 'elle'],
  elizabeth: ['bet', 'elsie', 'lilibet'],
  ellen: ['ellie'],
  evelyn: ['evie', 'evy'],
  francesca: ['fran', 'frankie', 'cesca'],
  gabrielle: ['gabi', 'elle'],
  gemma: ['gem'],
  george: ['geordie'],
  georgina: ['georgie', 'gina'],
  gerald: ['ged'],
  gerard: ['gerry', 'ged'],
  gillian: ['gill', 'jill', 'gilly'],
  hannah: ['han', 'annie'],
  harriet: ['harry'],
  helen: ['nell'],
  isabel: ['izzy', 'isa'],
  isabella: ['izzy', 'isa'],
  isabelle: ['izzy'],
  isobel: ['bella', 'izzy', 'issy'],
  jacob: ['jakey'],
  jacqueline: ['jacky'],
  james: ['jimbo'],
  jane: ['janey', 'jan'],
  janet: ['jenny', 'netty'],
  jasmine: ['jas', 'jaz', 'jazz', 'jazzy'],
  jeremy: ['jerry'],
  jessica: ['jessy'],
  jonathan: ['johnny'],
  joseph: ['jo'],
  josephine: ['jojo'],
  karen: ['kaz', 'kazza'],
  katherine: ['kath', 'katie', 'kat', 'kitty'],
  kathleen: ['kath'],
  kathryn: ['kath', 'kay'],
  katrina: ['kat', 'katie', 'trina'],
  kayleigh: ['kay', 'kayla'],
  kimberley: ['kimmy'],
  kimberly: ['kimmy'],
  laurence: ['laurie', 'lol'],
  lawrence: ['laurie', 'lol'],
  lewis: ['lew', 'lou'],
  lillian: ['lily'],
  louise: ['lulu', 'louie'],
  madeleine: ['maddy', 'maddie', 'madge'],
  margaret: ['mag', 'greta', 'maisie'],
  mary: ['may'],
  melanie: ['mel'],
  michelle: ['shell'],
  mildred: ['millie'],
  mohammed: ['mo', 'mohammad', 'muhammad', 'mohamed', 'muhammed', 'mohamad', 'mohd'],
  natalie: ['nat', 'tally'],
  natasha: ['tash'],
  nicola: ['nicky', 'nikki', 'nic', 'nicki'],
  oliver: ['olly'],
  olivia: ['liv', 'livvy'],
  rebecca: ['bex', 'becki', 'beckie'],
  robert: ['robbie', 'bert', 'rab'],
  roger: ['rog'],
  rosemary: ['rosie'],
  samantha: ['sammie'],
  sandra: ['sandi'],
  sarah: ['sal'],
  sophia: ['soph'],
  sophie: ['soph'],
  stanley: ['stan'],
  stephen: ['stevie'],
  susan: ['suzy'],
  suzanne: ['suzy', 'suzie'],
  sydney: ['syd'],
  terence: ['tel'],
  teresa: ['terri'],
  theresa: ['terri'],
  thomas: ['tam'],
  vanessa: ['ness'],
  veronica: ['nicky'],
  william: ['liam', 'wills'],
  yvonne: ['vonnie'],
};

/**
 * Pairs in the public lists that Throughline does not use, in either direction: the two names are
 * separate given names in common use in the UK today and neither is a short form of the other. The
 * lists record old genealogical equivalences (Patrick/Peter, Susan/Hannah), forms from other
 * languages (Ian/John) and names of the other sex (Andrea/Andrew), and two children with such
 * names, twins above all, share everything else a matcher looks at. Chosen by reading the pairs
 * between names the lists themselves give nicknames, and the relations the lists create between
 * forenames common in England and Wales or in the development data; a judgement, not a complete
 * audit of the lists. `test/identity/similarity.test.ts` checks that each pair is still in a list.
 */
export const NOT_USED: ReadonlyArray<readonly [string, string]> = [
  // Old equivalences between two current names.
  ['patrick', 'peter'], ['susan', 'hannah'], ['susannah', 'hannah'], ['joanna', 'hannah'], ['hannah', 'anna'],
  ['robert', 'rupert'], ['robert', 'bill'], ['robert', 'billy'], ['benjamin', 'jamie'],
  ['amelia', 'emily'], ['emily', 'emma'], ['alice', 'lisa'], ['helen', 'ella'], ['eileen', 'helen'], ['elaine', 'helen'],
  ['eleanor', 'elaine'], ['louise', 'eliza'], ['louisa', 'eliza'], ['lois', 'louise'], ['virginia', 'jane'],
  ['stephanie', 'annie'], ['sheila', 'cecilia'], ['derrick', 'eric'], ['kenneth', 'kendrick'], ['casper', 'jasper'],
  ['amos', 'moses'], ['ashley', 'leah'], ['ashley', 'lee'], ['levi', 'lee'], ['jane', 'jessie'], ['emeline', 'emily'],
  ['bryanna', 'anna'], ['jonathan', 'john'], ['jonathon', 'john'], ['johnathan', 'john'], ['johnathon', 'john'],
  ['johannes', 'jonathan'],
  // "Fred" listed as a nickname of the short forms of William, because Will and Fred are both short
  // for Wilfred: Bill and Fred are not one name (Will and Fred stay related, through Wilfred).
  ['bill', 'fred'], ['billy', 'fred'], ['will', 'fred'], ['willie', 'fred'],
  // Forms from other languages, separate names here.
  ['ian', 'john'], ['ivan', 'john'],
  // Names of the other sex.
  ['aaron', 'erin'], ['aron', 'erin'], ['andrea', 'andrew'], ['alexandria', 'alexander'], ['jacqueline', 'jack'],
  ['wilma', 'william'], ['louis', 'louise'], ['emil', 'emily'], ['laurinda', 'lawrence'], ['paul', 'polly'], ['anselm', 'selma'],
];

function fold(name: string): string {
  return foldText(name).replace(/ /g, '');
}

function readLines(file: string): string[] {
  return readFileSync(new URL(file, import.meta.url), 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
}

/** The (full name, nickname) pairs of both vendored lists, as recorded (not yet folded). */
export function readNicknameLists(): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const [header, ...rows] = readLines('nicknames.csv');
  if (header !== 'name1,relationship,name2') throw new Error(`nicknames.csv: unexpected header "${header}"`);
  for (const row of rows) {
    const [full, relationship, nickname] = row.split(',');
    if (relationship !== 'has_nickname' || !full || !nickname) throw new Error(`nicknames.csv: unreadable row "${row}"`);
    pairs.push([full, nickname]);
  }
  for (const row of readLines('nicknames-nhse.csv')) {
    const [full, ...nicknames] = row.split(',');
    for (const nickname of nicknames) if (full && nickname) pairs.push([full, nickname]);
  }
  return pairs;
}

function build(): Record<string, readonly string[]> {
  const table = new Map<string, Set<string>>();
  const add = (full: string, nickname: string) => {
    const f = fold(full);
    const n = fold(nickname);
    if (f === '' || n === '' || f === n) return;
    let set = table.get(f);
    if (!set) table.set(f, (set = new Set()));
    set.add(n);
  };
  for (const [full, nickname] of readNicknameLists()) add(full, nickname);
  for (const [full, nicknames] of Object.entries(SUPPLEMENT)) for (const nickname of nicknames) add(full, nickname);
  for (const [x, y] of NOT_USED) {
    table.get(x)?.delete(y);
    table.get(y)?.delete(x);
  }
  const result: Record<string, readonly string[]> = {};
  for (const full of [...table.keys()].sort()) {
    const nicknames = table.get(full)!;
    if (nicknames.size > 0) result[full] = [...nicknames].sort();
  }
  return result;
}

/** Full name → its nicknames, folded: the two vendored lists and the supplement, less `NOT_USED`. */
export const NICKNAMES: Readonly<Record<string, readonly string[]>> = build();
