// What the built-in detectors report for a value: detector ids, in order found.
import { BUILTIN_DETECTORS } from '../../../../../main/core/guard/dlp/detectors/index.js';
import { DlpScanner, type DlpFinding } from '../../../../../main/core/guard/dlp/scan.js';

const scanner = new DlpScanner(BUILTIN_DETECTORS);

export function findings(value: unknown): DlpFinding[] {
  return scanner.scan(value).findings;
}

export function detect(value: unknown): string[] {
  return findings(value).map((f) => f.detectorId);
}

/** The matched text of each finding in a plain string. */
export function matched(text: string): string[] {
  return findings(text).map((f) => text.slice(f.start, f.end));
}
