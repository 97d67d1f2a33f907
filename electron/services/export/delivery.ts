// What an export delivers, as audio at the export's rate: the mix and, for stems, stems that add up
// to it. Every gain the mix gets (loudness normalisation, true-peak limiting, clip attenuation) is
// one curve, computed on the mix and applied sample for sample to every stem, so summing the stems
// gives the delivered mix (to the format's quantisation).
import {
  applyGainCurve,
  channelTruePeak,
  dbToGain,
  encoderPeakLimit,
  gainToDb,
  normalizeLoudness,
  reconcileStems,
  resample,
  splitByMasks,
  type AudioData,
  type ExportFormat,
} from '../../audio';
import { StudioFailure } from '../../contract';
import type { RenderRecord } from '../../library';
import type { ServiceContext } from '../handlers';
import type { RenderPlan } from '../render/plan';
import type { ExportControl } from './export-jobs';
import { renderStems } from './stems';

export interface DeliveryOptions {
  kind: 'mix' | 'stems-hands' | 'stems-tracks';
  format: ExportFormat;
  bitDepth?: 16 | 24 | 32;
  sampleRate: 32000 | 44100 | 48000;
  normalize?: number;
  truePeakCeiling: number;
  onClip: 'attenuate' | 'error' | 'keep';
}

export interface DeliveredFile {
  label: string;
  role: 'mix' | 'stem';
  audio: AudioData;
}

export interface Delivery {
  /** The mix and stems at the export rate, before any gain. */
  sources: DeliveredFile[];
  /** The linked gain curve: normalisation and limiting, computed on the mix (all ones without normalisation). */
  curve: Float32Array;
  /** Clip attenuation applied to every file, dB (0 = none). */
  attenuationDb: number;
  limited: boolean;
  notes: string[];
}

const db = (value: number, unit: string): string =>
  `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value).toFixed(2)} ${unit}`;

const truePeakOf = (audio: AudioData): number =>
  Math.max(...audio.channels.map((c) => channelTruePeak(c, audio.sampleRate)));

/** Stems at the export rate that add up to `mix` (already at that rate). */
async function deliverStems(
  ctx: ServiceContext,
  render: RenderRecord,
  plan: RenderPlan,
  kind: 'stems-hands' | 'stems-tracks',
  mixAtRenderRate: AudioData,
  mix: AudioData,
  control: ExportControl,
  progress: (fraction: number) => void,
): Promise<{ stems: DeliveredFile[]; notes: string[] }> {
  const parts = await renderStems(ctx, render, plan, kind, mixAtRenderRate, {
    signal: control.signal,
    onProgress: (f) => progress(0.9 * f),
  });
  await control.pause();
  // Sampled-grand parts add up to the mix by construction (up to rounding); neural parts are new
  // generations, so the mix itself is divided among them by their spectra.
  const split =
    render.engine === 'neural'
      ? splitByMasks(
          mixAtRenderRate,
          parts.map((p) => p.audio),
        )
      : parts.map((p) => p.audio);
  const resampled: AudioData[] = [];
  for (const audio of split) resampled.push(await resample(audio, mix.sampleRate));
  progress(1);
  const exact = reconcileStems(mix, resampled);
  const notes =
    render.engine === 'neural' && parts.length > 1
      ? [
          'neural stems are the mix divided among separately generated parts by their spectra, so they add up to the mix',
        ]
      : [];
  return { stems: exact.map((audio, k) => ({ label: parts[k]!.label, role: 'stem', audio })), notes };
}

/**
 * The files of an export as audio at the export rate, with the linked gain applied and the clip
 * rule enforced: with `attenuate` every file is lowered by one stated amount (to the true-peak
 * ceiling) when any would reach full scale; `error` refuses naming the peak; `keep` (float only) keeps overs.
 */
export async function prepareDelivery(
  ctx: ServiceContext,
  render: RenderRecord,
  plan: RenderPlan,
  mixAtRenderRate: AudioData,
  options: DeliveryOptions,
  control: ExportControl,
  progress: (fraction: number, stage: string) => void,
): Promise<Delivery> {
  const notes: string[] = [];
  const stemShare = options.kind === 'mix' ? 0 : 0.7;
  const mix = await resample(mixAtRenderRate, options.sampleRate);
  let stems: DeliveredFile[] = [];
  if (options.kind !== 'mix') {
    const delivered = await deliverStems(ctx, render, plan, options.kind, mixAtRenderRate, mix, control, (f) =>
      progress(f * stemShare, 'rendering stems'),
    );
    stems = delivered.stems;
    notes.push(...delivered.notes);
  }
  await control.pause();
  progress(stemShare, 'measuring loudness');

  let curve: Float32Array = new Float32Array(mix.channels[0]!.length).fill(1);
  let limited = false;
  if (options.normalize !== undefined) {
    const normalized = normalizeLoudness(mix, {
      targetLufs: options.normalize,
      // A hair under the ceiling, so that rounding to the format's codes cannot lift a peak over it.
      truePeakCeilingDb: options.truePeakCeiling - 0.005,
    });
    curve = normalized.gain;
    limited = normalized.limited;
    notes.push(
      `the mix was normalised to ${options.normalize} LUFS (gain ${db(normalized.gainDb, 'dB')})` +
        (limited ? `, limited to a true peak of ${options.truePeakCeiling} dBTP` : '') +
        (stems.length ? '; every stem got the same gain, sample for sample' : ''),
    );
  }
  await control.pause();
  progress(stemShare + (1 - stemShare) * 0.6, 'checking peaks');

  const sources: DeliveredFile[] = [{ label: 'mix', role: 'mix', audio: mix }, ...stems];
  const delivery: Delivery = { sources, curve, attenuationDb: 0, limited, notes };
  const limit = encoderPeakLimit(options.format, options.bitDepth);
  const peaks = sources.map((f) => peakThroughCurve(f.audio, curve));
  const worst = peaks.indexOf(Math.max(...peaks));
  if (options.onClip !== 'keep' && peaks[worst]! >= limit) {
    const truePeaks = sources.map((_, i) => truePeakOf(deliveredAudio(delivery, i)));
    const what = sources[worst]!.role === 'mix' ? 'the mix' : `the ${sources[worst]!.label} stem`;
    const peakText = `sample peak ${db(gainToDb(peaks[worst]!), 'dBFS')}, true peak ${db(gainToDb(truePeaks[worst]!), 'dBTP')}`;
    if (options.onClip === 'error')
      throw new StudioFailure(
        'bad-input',
        `${what} would clip (${peakText}); export with onClip "attenuate" (CLI: --on-clip attenuate), normalise it, or write 32-bit float WAV with onClip "keep"`,
      );
    const highest = Math.max(...truePeaks);
    const cut = Math.min(options.truePeakCeiling - gainToDb(highest), gainToDb(limit / peaks[worst]!) - 0.01);
    return attenuate(
      delivery,
      cut,
      `${what} would clip (${peakText}): every file was lowered by ${Math.abs(cut).toFixed(2)} dB, to a highest true peak of ${options.truePeakCeiling} dBTP`,
    );
  }
  if (options.onClip === 'keep' && peaks[worst]! >= 1)
    notes.push(`overs kept as asked: the highest sample is at ${db(gainToDb(peaks[worst]!), 'dBFS')} (32-bit float)`);
  return delivery;
}

/** Largest |sample × curve| without building the product. */
function peakThroughCurve(audio: AudioData, curve: Float32Array): number {
  let peak = 0;
  for (const c of audio.channels)
    for (let i = 0; i < c.length; i++) {
      const v = Math.abs(c[i]! * curve[i]!);
      if (v > peak) peak = v;
    }
  return peak;
}

/**
 * File `index` as it is encoded: its source through the linked curve and the clip attenuation, in one
 * multiplication per sample (one rounding, so the stems still add up to the mix). Built on demand, one
 * file at a time, so a long export holds the sources and one delivered file, not two copies of all.
 */
export function deliveredAudio(delivery: Delivery, index: number): AudioData {
  return applyGainCurve(delivery.sources[index]!.audio, delivery.curve, dbToGain(delivery.attenuationDb));
}

/** Lowers every file by `cutDb` more and says why in the notes. */
export function attenuate(delivery: Delivery, cutDb: number, why: string): Delivery {
  return { ...delivery, attenuationDb: delivery.attenuationDb + cutDb, notes: [...delivery.notes, why] };
}
