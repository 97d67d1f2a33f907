import type { PerformerSummary } from '../contract/methods/performers';
import { addPerformer, listPerformers, removePerformer, type PerformerRecord } from '../library';
import { fileBytes } from './file-data';
import type { Handler } from './handlers';
import { preparePrompt } from './performer-intake';

export function performerSummary(p: PerformerRecord): PerformerSummary {
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
  };
}

export const performersList: Handler<'performers.list'> = (_args, ctx) =>
  listPerformers(ctx.library()).map(performerSummary);

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
  ctx.events.emit({ type: 'library.changed', what: 'performers' });
  return performerSummary(record);
};

export const performersRemove: Handler<'performers.remove'> = (args, ctx) => {
  removePerformer(ctx.library(), args.id, { force: args.force });
  ctx.events.emit({ type: 'library.changed', what: 'performers' });
  return { removed: true };
};
