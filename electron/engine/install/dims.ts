// Model dimensions from tensor shapes (+ xp.cfg for the codec) and the strict key check, as convert.py does them
// (native-models/midivalle/checkpoint.py: valle_dims, codec_dims, _apply_codec_cfg, load_strict), with the same
// messages so a wrong file reads the same from either tool.
import type { Checkpoint, StateDict } from './checkpoint';
import { listNames } from './checkpoint';
import { CheckpointError } from './errors';

export interface ValleDims {
  d_model: number;
  heads: number;
  ar_layers: number;
  nar_layers: number;
  ff_dim: number;
  midi_vocab: number[];
  midi_emb_dims: number[];
  audio_tokens: number;
  quantizers: number;
}

export interface CodecDims {
  channels: number;
  dimension: number;
  n_filters: number;
  ratios: number[];
  n_residual_layers: number;
  kernel_size: number;
  last_kernel_size: number;
  residual_kernel_size: number;
  dilation_base: number;
  compress: number;
  lstm_layers: number;
  pad_mode: string;
  n_q: number;
  bins: number;
  sample_rate: number;
}

function count(state: StateDict, pattern: RegExp): number {
  const seen = new Set<string>();
  for (const key of state.keys()) {
    const m = pattern.exec(key);
    if (m) seen.add(m[1]!);
  }
  return seen.size;
}

const LOOKS_LIKE: [string, string][] = [
  ['encoder.model.0.conv.conv.weight_v', 'the Piano-Encodec checkpoint (compression_32khz_new.bin)'],
  ['ar_text_embedding.weight', 'the MIDI-VALLE checkpoint (best-valid-loss.pt)'],
];

function shapeOf(ckpt: Checkpoint, key: string, kind: string): number[] {
  const t = ckpt.state.get(key);
  if (!t) {
    // convert.py's message, with the file named and, when the two files were swapped, which one this is.
    const other = LOOKS_LIKE.find(([k]) => ckpt.state.has(k))?.[1];
    const hint = other ? `; it looks like ${other}, given in the other's place` : '';
    throw new CheckpointError(`${ckpt.what}: not a ${kind} checkpoint: key '${key}' is missing${hint}`);
  }
  return t.shape;
}

export function valleDims(ckpt: Checkpoint, heads?: number): ValleDims {
  const { state, extras } = ckpt;
  const kind = 'MIDI-VALLE';
  const [dModel] = shapeOf(ckpt, 'ar_text_embedding.weight', kind);
  const ffDim = shapeOf(ckpt, 'ar_decoder.layers.0.linear1.weight', kind)[0]!;
  const tables = Array.from({ length: count(state, /^feat_emb\.(\d+)\./) }, (_, k) =>
    shapeOf(ckpt, `feat_emb.${k}.word_embeddings.weight`, kind),
  );
  const audioTokens = shapeOf(ckpt, 'nar_audio_embeddings.1.word_embeddings.weight', kind)[0]!;
  const nhead = extras.get('nhead');
  const h = heads ?? (Number.isInteger(nhead) ? (nhead as number) : Math.max(1, Math.floor(dModel! / 64)));
  if (dModel! % h) throw new CheckpointError(`d_model ${dModel} is not divisible by ${h} heads`);
  return {
    d_model: dModel!,
    heads: h,
    ar_layers: count(state, /^ar_decoder\.layers\.(\d+)\./),
    nar_layers: count(state, /^nar_decoder\.layers\.(\d+)\./),
    ff_dim: ffDim,
    midi_vocab: tables.map((t) => t[0]!),
    midi_emb_dims: tables.map((t) => t[1]!),
    audio_tokens: audioTokens,
    quantizers: count(state, /^nar_audio_embeddings\.(\d+)\./),
  };
}

export function codecDims(ckpt: Checkpoint): CodecDims {
  const { state, cfg } = ckpt;
  const kind = 'Piano-Encodec (audiocraft EnCodec)';
  const first = shapeOf(ckpt, 'encoder.model.0.conv.conv.weight_v', kind);
  const embed = shapeOf(ckpt, 'quantizer.vq.layers.0._codebook.embed', kind);
  const convtr = [
    ...new Set([...state.keys()].map((k) => /^decoder\.model\.(\d+)\.convtr/.exec(k)?.[1]).filter(Boolean)),
  ]
    .map(Number)
    .sort((a, b) => a - b);
  const ratios = convtr.map((i) =>
    Math.floor(shapeOf(ckpt, `decoder.model.${i}.convtr.convtr.weight_v`, kind)[2]! / 2),
  );
  let dims: CodecDims = {
    channels: first[1]!,
    dimension: embed[1]!,
    n_filters: first[0]!,
    ratios,
    n_residual_layers: Math.floor(count(state, /^encoder\.model\.1\.block\.(\d+)\./) / 2) || 1,
    kernel_size: first[2]!,
    last_kernel_size: 7,
    residual_kernel_size: shapeOf(ckpt, 'encoder.model.1.block.1.conv.conv.weight_v', kind)[2]!,
    dilation_base: 2,
    compress: 2,
    lstm_layers: count(state, /^encoder\.model\.\d+\.lstm\.weight_ih_l(\d+)/),
    pad_mode: 'constant',
    n_q: count(state, /^quantizer\.vq\.layers\.(\d+)\./),
    bins: embed[0]!,
    sample_rate: 32000,
  };
  if (dims.n_residual_layers !== 1)
    throw new CheckpointError('codec checkpoints with more than one residual layer per block are not supported');
  if (cfg) dims = applyCodecCfg(dims, cfg);
  return dims;
}

const section = (cfg: Record<string, unknown>, key: string) =>
  (cfg[key] && typeof cfg[key] === 'object' ? cfg[key] : {}) as Record<string, unknown>;
const pyStr = (v: unknown) =>
  v === null || v === undefined ? 'None' : v === true ? 'True' : v === false ? 'False' : String(v);

function applyCodecCfg(dims: CodecDims, cfg: Record<string, unknown>): CodecDims {
  const seanet = section(cfg, 'seanet');
  const encodec = section(cfg, 'encodec');
  const get = (o: Record<string, unknown>, k: string, fallback: unknown) => (k in o ? o[k] : fallback);
  const checks: [boolean, string][] = [
    [get(seanet, 'norm', 'weight_norm') === 'weight_norm', `seanet.norm=${pyStr(seanet.norm)}`],
    [!get(seanet, 'causal', get(encodec, 'causal', false)), 'causal=true'],
    [!get(encodec, 'renormalize', false), 'encodec.renormalize=true'],
    [get(seanet, 'activation', 'ELU') === 'ELU', `seanet.activation=${pyStr(seanet.activation)}`],
    [Boolean(get(seanet, 'true_skip', true)), 'seanet.true_skip=false'],
  ];
  const unsupported = checks.filter(([ok]) => !ok).map(([, what]) => what);
  if (unsupported.length)
    throw new CheckpointError(`unsupported codec configuration in xp.cfg: ${unsupported.join(', ')}`);
  const padMode = get(seanet, 'pad_mode', dims.pad_mode);
  if (padMode !== 'constant' && padMode !== 'reflect')
    throw new CheckpointError(`unsupported seanet.pad_mode '${pyStr(padMode)}' in xp.cfg`);
  const int = (v: unknown) => Math.trunc(Number(v));
  if ('ratios' in seanet && JSON.stringify(seanet.ratios) !== JSON.stringify(dims.ratios)) {
    const list = (a: unknown) => (Array.isArray(a) ? `[${a.join(', ')}]` : pyStr(a)); // xp.cfg may say anything
    throw new CheckpointError(`xp.cfg ratios ${list(seanet.ratios)} disagree with the weights' ${list(dims.ratios)}`);
  }
  return {
    ...dims,
    pad_mode: padMode,
    compress: int(get(seanet, 'compress', dims.compress)),
    dilation_base: int(get(seanet, 'dilation_base', dims.dilation_base)),
    last_kernel_size: int(get(seanet, 'last_kernel_size', dims.last_kernel_size)),
    sample_rate: int(get(cfg, 'sample_rate', dims.sample_rate)),
  };
}

/** convert.py's load_strict: every expected key present with its shape, nothing unexpected. */
export function checkLayout(state: StateDict, expected: [string, number[]][], what: string): void {
  const want = new Map(expected);
  const missing = expected.map(([k]) => k).filter((k) => !state.has(k));
  const unexpected = [...state.keys()].filter((k) => !want.has(k));
  const list = (s: number[]) => `[${s.join(', ')}]`;
  const mismatched = expected
    .filter(([k, shape]) => state.has(k) && list(state.get(k)!.shape) !== list(shape))
    .map(([k, shape]) => `${k} ${list(state.get(k)!.shape)} (expected ${list(shape)})`);
  if (missing.length || unexpected.length || mismatched.length) {
    const parts: string[] = [];
    if (missing.length) parts.push(`missing ${missing.length} key(s): ${listNames(missing)}`);
    if (unexpected.length) parts.push(`unexpected ${unexpected.length} key(s): ${listNames(unexpected)}`);
    if (mismatched.length) parts.push(`${mismatched.length} shape mismatch(es): ${listNames(mismatched)}`);
    throw new CheckpointError(`${what} does not match the expected layout: ${parts.join('; ')}`);
  }
}
