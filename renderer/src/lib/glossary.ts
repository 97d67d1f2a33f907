// The studio's terms in a sentence each: shown as tooltips (and to screen readers) where the term
// appears, so a pianist who has never met a codec language model can still use every control.
export const GLOSSARY = {
  seed: 'Seed: the number that fixes the neural engine’s random choices. The same seed and settings give the same take again; another seed gives another interpretation. Empty: a random seed.',
  temperature:
    'Temperature: how adventurous the neural engine is. 1 is the model’s own balance; lower is safer and plainer, higher is freer and riskier (above ~1.3 it may fall apart).',
  topK: 'Top-k: at each step the engine picks only among its k likeliest sounds. Smaller is safer; 0 turns the limit off (the official setting).',
  lufs: 'LUFS: loudness as the ear hears it (loudness units relative to full scale). −14 is loud streaming level, −23 broadcast; 1 LU more is about 1 dB louder.',
  segment:
    'Segment: the piece is rendered in musical phrases of about 15–20 s. Each segment can be rendered again (a new take), auditioned, chosen and locked without touching the rest.',
  promptWindow:
    'The performer is learnt from 3 seconds of the recording. This is where those 3 seconds start, in seconds from the beginning; pick a passage where the piano plays clearly.',
  take: 'Take: one rendering of a segment. Every take is kept; the chosen one plays in the mix.',
  lock: 'Lock: keep this segment as it is. Regenerating a range skips locked segments, and R refuses them.',
  preview:
    'Preview: no finished render is open, so Play streams the MIDI through the built-in sampled grand (dry, no room); segments a running render has finished play their own takes. Open a finished render to hear it whole.',
  noise:
    'This model pack has random test weights: it exercises the neural pipeline but renders noise, not piano. Import a trained pack for music.',
} as const;

/** Adds a plain-words explanation to messages that name file-format jargon. */
export function explainJargon(message: string): string {
  if (/no MThd header/.test(message))
    return `${message} (every MIDI file starts with an “MThd” header; this file does not, so it is not a MIDI file or it is damaged)`;
  return message;
}
