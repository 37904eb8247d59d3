/**
 * Rough shares of the population of England and Wales holding common surnames and forenames, as a
 * fraction (0.012 = 1.2 %). Approximate figures written for Throughline from general knowledge of
 * published surname and forename counts; precise enough for their one job, which is to stop a
 * common name counting as strong evidence when the matcher holds too few records to see for itself
 * that the name is common (a small partnership, a scenario, a first import). With enough records
 * the frequencies counted in the data take over (see term-frequency.ts).
 */
export const SURNAME_SHARES: Readonly<Record<string, number>> = {
  smith: 0.012, jones: 0.0075, williams: 0.006, taylor: 0.005, brown: 0.0045, davies: 0.0045,
  evans: 0.0035, wilson: 0.0033, thomas: 0.0033, johnson: 0.003, roberts: 0.003, robinson: 0.0025,
  thompson: 0.0025, wright: 0.0025, walker: 0.0025, white: 0.0022, edwards: 0.0022, hughes: 0.0022,
  green: 0.002, hall: 0.002, lewis: 0.002, harris: 0.002, clarke: 0.002, patel: 0.002,
  jackson: 0.0019, wood: 0.0018, turner: 0.0017, martin: 0.0017, cooper: 0.0017, hill: 0.0017,
  ward: 0.0016, morris: 0.0016, moore: 0.0016, clark: 0.0016, lee: 0.0015, king: 0.0015,
  baker: 0.0015, harrison: 0.0015, morgan: 0.0015, khan: 0.0015, allen: 0.0014, james: 0.0014,
  scott: 0.0014, phillips: 0.0013, watson: 0.0013, davis: 0.0013, parker: 0.0012, price: 0.0012,
  bennett: 0.0012, young: 0.0012, griffiths: 0.0012, mitchell: 0.0012, kelly: 0.0012, cook: 0.0012,
  carter: 0.0012, singh: 0.0012, begum: 0.0012, richardson: 0.0011, bailey: 0.0011, collins: 0.0011,
  bell: 0.0011, shaw: 0.0011, murphy: 0.0011, miller: 0.0011, cox: 0.001, richards: 0.001,
  marshall: 0.001, anderson: 0.001, simpson: 0.001, ellis: 0.001, adams: 0.001, wilkinson: 0.001,
  foster: 0.001, chapman: 0.001, powell: 0.001, webb: 0.001, rogers: 0.001, gray: 0.001,
  mason: 0.001, ali: 0.001, hussain: 0.001, ahmed: 0.0008, hunt: 0.0009, campbell: 0.0009,
  matthews: 0.0009, owen: 0.0009, palmer: 0.0009, holmes: 0.0009, mills: 0.0009, barnes: 0.0009,
  knight: 0.0009, lloyd: 0.0009, butler: 0.0009, russell: 0.0009, barker: 0.0008, fisher: 0.0008,
  stevens: 0.0008, jenkins: 0.0008, murray: 0.0008, dixon: 0.0008, harvey: 0.0008, graham: 0.0008,
  pearson: 0.0008, ahmad: 0.0005, akhtar: 0.0005, shah: 0.0006, rahman: 0.0005, islam: 0.0005,
  kaur: 0.0008, nguyen: 0.0003, kowalski: 0.0002, nowak: 0.0002, wang: 0.0003, li: 0.0003,
};

/** Forenames, both sexes and all ages together (so only roughly right for any one generation). */
export const FORENAME_SHARES: Readonly<Record<string, number>> = {
  john: 0.012, david: 0.012, michael: 0.01, james: 0.01, paul: 0.008, peter: 0.008, robert: 0.008,
  mark: 0.007, richard: 0.007, andrew: 0.007, william: 0.007, thomas: 0.007, christopher: 0.006,
  daniel: 0.006, stephen: 0.006, matthew: 0.005, mohammed: 0.004, muhammad: 0.003, jack: 0.005,
  oliver: 0.004, harry: 0.004, george: 0.004, joshua: 0.004, samuel: 0.004, jamie: 0.003,
  ryan: 0.003, liam: 0.003, adam: 0.004, anthony: 0.004, kevin: 0.003, ian: 0.004, gary: 0.003,
  steven: 0.003, alan: 0.003, brian: 0.003, kieran: 0.002, connor: 0.002, lewis: 0.002,
  mary: 0.008, sarah: 0.008, margaret: 0.006, susan: 0.006, elizabeth: 0.006, emma: 0.006,
  laura: 0.005, claire: 0.005, lisa: 0.005, karen: 0.005, helen: 0.005, julie: 0.005,
  jennifer: 0.004, rebecca: 0.004, hannah: 0.004, jessica: 0.004, charlotte: 0.004, emily: 0.004,
  sophie: 0.004, amy: 0.004, lauren: 0.003, chloe: 0.003, olivia: 0.003, amelia: 0.003,
  jade: 0.003, gemma: 0.003, nicola: 0.003, michelle: 0.003, joanne: 0.003, louise: 0.003,
  kelly: 0.003, rachel: 0.003, victoria: 0.003, samantha: 0.003, stephanie: 0.002, leanne: 0.002,
  ruby: 0.002, grace: 0.002, ella: 0.002, mia: 0.002, lily: 0.002, evie: 0.002, isla: 0.002,
  noah: 0.002, alfie: 0.002, charlie: 0.002, freddie: 0.002, leo: 0.002, oscar: 0.002,
};
