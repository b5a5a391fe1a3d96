// The model a benchmark measures, built the way `kubectl lb simulate` and `plan` build theirs
// (kubectl-plugin/src/commands/common.ts modelOfTexts: each document read while parsing).
import { parseManifestText } from '../shared/src/manifest/parse.js';
import { buildModel } from '../shared/src/model/build.js';
import { isRelevantKind } from '../shared/src/model/kinds.js';
import { readWhileParsing } from '../shared/src/model/readWhileParsing.js';
import type { ClusterModel } from '../shared/src/model/types.js';

export function modelAsCommandsBuildIt(text: string, file: string): ClusterModel {
  const reading = readWhileParsing();
  return buildModel([parseManifestText(text, file, { kindFilter: isRelevantKind, onDocument: reading.onDocument })], {}, reading.known).model;
}
