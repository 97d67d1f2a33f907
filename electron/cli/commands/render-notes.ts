// What `midi-valle render` says besides the render itself: which performer it used when none was
// named, and a warning when the model pack renders noise (random test weights).
import type { PackSummary } from '../../contract/methods/packs';
import type { PerformerSummary } from '../../contract/methods/performers';

/** The performer `render` uses without --performer: the first demo performer, else the first one. */
export function defaultPerformer(performers: PerformerSummary[]): PerformerSummary | undefined {
  return performers.find((p) => p.demo) ?? performers[0];
}

/** One line for stderr when the render's pack has random weights; undefined otherwise. */
export function noiseWarning(packs: PackSummary[], packId: string | null | undefined): string | undefined {
  const pack = packs.find((p) => p.id === packId);
  return pack?.randomWeights
    ? `warning: model pack "${pack.displayName}" has random test weights: this render is noise, for testing only; import a trained pack for music`
    : undefined;
}
