import type { ModelParams } from '../model.js';

// The frozen identity-resolution model. Written by `npm run bench:identity -- --estimate --write`
// on 2026-11-22 from febrl1.csv, febrl2.csv, fake_1000.csv, rldata10000.csv; docs/identity-resolution.md explains the method.
// Fields marked "assumed" are not in the development data and keep values set by hand. The
// thresholds were chosen on the development data (--tune) and frozen with everything else.
// Do not edit by hand, and do not re-estimate on data the matcher is to be measured on.
//
// Training runs (pairs each rule picked; estimated share of them that are one person):
//   febrl1.csv, same date of birth: 456 pairs, 0.969
//   febrl1.csv, same surname and first-name sounds: 295 pairs, 0.986
//   febrl1.csv, same email or postcode: 920 pairs, 0.451
//   febrl2.csv, same date of birth: 1979 pairs, 0.843
//   febrl2.csv, same surname and first-name sounds: 1241 pairs, 0.757
//   febrl2.csv, same email or postcode: 14052 pairs, 0.105
//   fake_1000.csv, same date of birth: 873 pairs, 0.971
//   fake_1000.csv, same surname and first-name sounds: 437 pairs, 0.987
//   fake_1000.csv, same email or postcode: 682 pairs, 0.982
//   rldata10000.csv, same date of birth: 2348 pairs, 0.255
//   rldata10000.csv, same surname and first-name sounds: 15022 pairs, 0.0412
//   rldata10000.csv, same email or postcode: 0 pairs, 0
//   undefined, undefined: undefined pairs, undefined
// Expected other records per record, by file: febrl1.csv 1, febrl2.csv 0.774, fake_1000.csv 4.8, rldata10000.csv 11.5
// (median 2.9).
export const MODEL_PARAMS: ModelParams = {
  version: 'fs-2026-11-22',
  fields: {
    nhsNumber: { origin: 'assumed', levels: { exact: { m: 0.995, u: 1e-7 }, disagree: { m: 0.005, u: 1 } } },
    givenName: { origin: 'estimated', levels: { exact: { m: 0.6011, u: 0.005637 }, alias: { m: 0.08724, u: 0.001746 }, close: { m: 0.1622, u: 0.001775 }, similar: { m: 0.04363, u: 0.006894 }, disagree: { m: 0.1058, u: 0.9839 } } },
    familyName: { origin: 'estimated', levels: { exact: { m: 0.5672, u: 0.00759 }, alias: { m: 0.08164, u: 0.000325 }, close: { m: 0.2128, u: 0.002577 }, similar: { m: 0.05381, u: 0.009476 }, disagree: { m: 0.08451, u: 0.98 } } },
    dateOfBirth: { origin: 'estimated', levels: { exact: { m: 0.7012, u: 0.0007348 }, swapped: { m: 0.01, u: 0.00001115 }, typo: { m: 0.1094, u: 0.001138 }, vague: { m: 0.02, u: 0.003 }, near: { m: 0.06039, u: 0.01577 }, disagree: { m: 0.099, u: 0.9793 } } },
    sex: { origin: 'assumed', levels: { agree: { m: 0.98, u: 0.5 }, disagree: { m: 0.02, u: 0.5 } } },
    postcode: { origin: 'estimated', levels: { exact: { m: 0.7398, u: 0.001494 }, sector: { m: 0.1806, u: 0.01319 }, district: { m: 0.05, u: 0.02 }, disagree: { m: 0.02959, u: 0.9653 } } },
    address: { origin: 'estimated', levels: { exact: { m: 0.5253, u: 0.0003489 }, close: { m: 0.2285, u: 0.0001352 }, partial: { m: 0.1662, u: 0.001202 }, disagree: { m: 0.07999, u: 0.9983 } } },
    town: { origin: 'estimated', levels: { exact: { m: 0.678, u: 0.01498 }, close: { m: 0.2497, u: 0.01027 }, disagree: { m: 0.07229, u: 0.9747 } } },
    phone: { origin: 'assumed', levels: { exact: { m: 0.7, u: 0.00001 }, disagree: { m: 0.3, u: 1 } } },
    email: { origin: 'estimated', levels: { exact: { m: 0.5508, u: 0.002123 }, close: { m: 0.4078, u: 0.001914 }, disagree: { m: 0.0414, u: 0.996 } } },
    upn: { origin: 'assumed', levels: { exact: { m: 0.99, u: 1e-7 }, disagree: { m: 0.01, u: 1 } } },
    otherIdentifier: { origin: 'estimated', levels: { exact: { m: 0.8791, u: 0.0005 }, close: { m: 0.06811, u: 0.00003667 }, disagree: { m: 0.05281, u: 0.9995 } } },
  },
  expectedOtherRecords: 2.9,
  termFrequency: { pseudoRecords: 2000, defaultShare: { given: 0.0007, family: 0.0002, town: 0.01 } },
  thresholds: { autoLink: 0.9, autoLinkChild: 0.99, review: 0.5 },
};
