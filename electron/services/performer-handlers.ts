import type { PerformerDetail, PerformerSummary } from '../contract/methods/performers';
import { addPerformer, getPerformer, listPerformers, trashPerformer, type PerformerRecord } from '../library';
import { fileBytes } from './file-data';
import type { Handler, ServiceContext } from './handlers';
import { trashItem } from './trash-item';
import { preparePrompt } from './performer-intake';
import { performerProfile } from './performer-profile';

export function performerSummary(p: PerformerRecord, renderCount: number): PerformerSummary {
  const tags: PerformerSummary['tags'] = {};
  if (p.tags.piano) tags.piano = p.tags.piano;
  if (p.tags.room) tags.room = p.tags.room;
  if (p.tags.source) tags.source = p.tags.source;
  return {
    id: p.id,
    name: p.name,
    tags,
    demo: p.demo,
    licence: p.licence || null,
    notes: p.notes || null,
    promptDuration: p.promptAudio.duration,
    promptAudio: p.promptAudio.hash,
    consent: { kind: p.consent.kind, recordedBy: p.recordedBy },
    createdAt: new Date(p.createdAt).toISOString(),
    renderCount,
  };
}

const renderCountOf = (lib: ReturnType<ServiceContext['library']>, id: string): number =>
  listPerformers(lib).find((p) => p.id === id)?.renderCount ?? 0;
const CONSENT = { yes: 'granted', no: 'refused', self: 'self' } as const;

export const performersList: Handler<'performers.list'> = (_args, ctx) =>
  listPerformers(ctx.library()).map((p) => performerSummary(p, p.renderCount));

export const performersGet: Handler<'performers.get'> = (args, ctx): PerformerDetail => {
  const lib = ctx.library();
  const p = getPerformer(lib, args.id);
  return {
    ...performerSummary(p, renderCountOf(lib, p.id)),
    prompt: { format: p.promptAudio.format, sampleRate: p.promptAudio.sampleRate, channels: p.promptAudio.channels },
    consentBy: p.consent.by ?? null,
  };
};

export const performersAdd: Handler<'performers.add'> = async (args, ctx) => {
  const prompt = await preparePrompt({
    audio: { bytes: fileBytes(args.audio, ctx), fileName: args.audio.fileName },
    midi: { bytes: fileBytes(args.midi, ctx), fileName: args.midi.fileName },
    start: args.start,
  });
  const record = addPerformer(ctx.library(), {
    name: args.name,
    ...prompt,
    tags: args.tags ?? {},
    licence: args.licence,
    // stored exactly as the person adding the performer chose; never defaulted
    consent: { kind: CONSENT[args.consent], at: Date.now() },
    recordedBy: args.recordedBy ?? null,
    notes: args.notes ?? '',
  });
  // The sampled grand's match is fitted now (a few seconds), so the first render need not wait for it.
  // A fit that fails leaves no profile: it is tried again on first use, and the performer stays added.
  const fitted = await performerProfile(ctx.library(), record).catch(() => undefined);
  const warning = fitted?.profile.alignment.warning;
  ctx.events.emit({ type: 'library.changed', what: 'performers' });
  return { ...performerSummary(record, 0), ...(warning ? { warning } : {}) };
};

export const performersProfile: Handler<'performers.profile'> = async (args, ctx) => {
  const lib = ctx.library();
  const { profile, version } = await performerProfile(lib, getPerformer(lib, args.id));
  return {
    performerId: args.id,
    version,
    lowConfidence: profile.alignment.lowConfidence,
    tone: profile.tone,
    room: profile.room,
    touch: profile.touch,
    fit: profile.fit,
    alignment: profile.alignment,
  };
};

/** To the trash, with the renders that use it when forced; else a 'conflict' naming those renders. */
export const performersRemove: Handler<'performers.remove'> = (args, ctx) => {
  const entry = trashPerformer(ctx.library(), args.id, { force: args.force });
  for (const what of ['performers', 'renders', 'trash'] as const) ctx.events.emit({ type: 'library.changed', what });
  return { removed: true, removedRenders: entry.removedRenders, trash: trashItem(entry) };
};
