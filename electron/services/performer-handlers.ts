import type { PerformerDetail, PerformerSummary } from '../contract/methods/performers';
import { addPerformer, getPerformer, listPerformers, removePerformer, type PerformerRecord } from '../library';
import { fileBytes } from './file-data';
import type { Handler, ServiceContext } from './handlers';
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
    createdAt: new Date(p.createdAt).toISOString(),
    renderCount,
  };
}

const renderCountOf = (lib: ReturnType<ServiceContext['library']>, id: string): number =>
  listPerformers(lib).find((p) => p.id === id)?.renderCount ?? 0;

export const performersList: Handler<'performers.list'> = (_args, ctx) =>
  listPerformers(ctx.library()).map((p) => performerSummary(p, p.renderCount));

export const performersGet: Handler<'performers.get'> = (args, ctx): PerformerDetail => {
  const lib = ctx.library();
  const p = getPerformer(lib, args.id);
  return {
    ...performerSummary(p, renderCountOf(lib, p.id)),
    prompt: { format: p.promptAudio.format, sampleRate: p.promptAudio.sampleRate, channels: p.promptAudio.channels },
    consent: { kind: p.consent.kind, by: p.consent.by ?? null },
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
    licence: args.licence ?? 'unspecified',
    consent: { kind: args.consent ? 'granted' : 'self' },
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

export const performersRemove: Handler<'performers.remove'> = (args, ctx) => {
  const { removedRenders } = removePerformer(ctx.library(), args.id, { force: args.force });
  ctx.events.emit({ type: 'library.changed', what: 'performers' });
  if (removedRenders) ctx.events.emit({ type: 'library.changed', what: 'renders' });
  return { removed: true, removedRenders };
};
