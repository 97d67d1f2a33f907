// A small algorithmic room (Schroeder/Moorer design as popularised by Freeverb): per channel, 8
// parallel feedback combs with one-pole damping in the loop, then 4 series all-passes; the right
// channel's delays are offset a little for width. Linear and time-invariant, so reverberating segment
// renders separately and summing them equals reverberating the whole render.
export type RoomPreset = 'dry' | 'room' | 'hall';
export const ROOM_PRESETS: readonly RoomPreset[] = ['dry', 'room', 'hall'];

interface RoomSettings {
  feedback: number; // comb feedback (room size)
  damping: number; // 0 = bright, 1 = dark tail
  wet: number;
  dry: number;
  preDelaySeconds: number;
  /** How long the tail needs to fall ~60 dB (used to size renders). */
  tailSeconds: number;
}

const SETTINGS: Record<Exclude<RoomPreset, 'dry'>, RoomSettings> = {
  room: { feedback: 0.78, damping: 0.45, wet: 0.16, dry: 0.92, preDelaySeconds: 0.008, tailSeconds: 1.2 },
  hall: { feedback: 0.88, damping: 0.3, wet: 0.26, dry: 0.85, preDelaySeconds: 0.022, tailSeconds: 2.8 },
};

/** Extra seconds a render needs after the last sound for the room's tail. */
export function roomTailSeconds(room: RoomPreset): number {
  return room === 'dry' ? 0 : SETTINGS[room].tailSeconds;
}

// Delay lengths in samples at 44.1 kHz (mutually prime-ish so the echoes do not line up).
const COMBS = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617];
const ALLPASSES = [556, 441, 341, 225];
const STEREO_SPREAD = 23;

function reverbChannel(input: Float32Array, sampleRate: number, s: RoomSettings, spread: number): Float32Array {
  const scale = sampleRate / 44100;
  const n = input.length;
  const pre = Math.round(s.preDelaySeconds * sampleRate);
  const wetSum = new Float32Array(n);
  const inputGain = 0.015; // keeps the 8 summed combs near unity
  for (const length of COMBS) {
    const size = Math.max(1, Math.round((length + spread) * scale));
    const buffer = new Float32Array(size);
    let index = 0;
    let filter = 0;
    for (let i = 0; i < n; i++) {
      const x = i >= pre ? input[i - pre]! * inputGain : 0;
      const out = buffer[index]!;
      filter = out * (1 - s.damping) + filter * s.damping;
      buffer[index] = x + filter * s.feedback;
      if (++index >= size) index = 0;
      wetSum[i]! += out;
    }
  }
  for (const length of ALLPASSES) {
    const size = Math.max(1, Math.round((length + spread) * scale));
    const buffer = new Float32Array(size);
    let index = 0;
    for (let i = 0; i < n; i++) {
      const delayed = buffer[index]!;
      const x = wetSum[i]!;
      wetSum[i] = delayed - x;
      buffer[index] = x + delayed * 0.5;
      if (++index >= size) index = 0;
    }
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = input[i]! * s.dry + wetSum[i]! * s.wet * 3;
  return out;
}

/** Applies the room in place of the dry signal; 'dry' returns the input untouched. */
export function applyRoom(channels: Float32Array[], sampleRate: number, room: RoomPreset): Float32Array[] {
  if (room === 'dry') return channels;
  const s = SETTINGS[room];
  if (channels.length === 1) return [reverbChannel(channels[0]!, sampleRate, s, 0)];
  return channels.map((c, i) => reverbChannel(c, sampleRate, s, i === 0 ? 0 : STEREO_SPREAD));
}
