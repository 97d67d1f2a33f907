import type { PerformerSummary } from '../contract/methods/performers';
import { addPerformer, listPerformers, trashPerformer, type PerformerRecord } from '../library';
import { fileBytes } from './file-data';
import type { Handler } from './handlers';
import { trashItem } from './library-manage-handlers';
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
    consent: { kind: p.consent.kind, recordedBy: p.recordedBy },
    createdAt: new Date(p.createdAt).toISOString(),
  };
}

const CONSENT = { yes: 'granted', no: 'refused', self: 'self' } as const;

export const performersList: Handler<'performers.list'> = (_args, ctx) =>
  listPerformers(ctx.library()).map(performerSummary);

export const performersAdd: Handler<'performers.add'> = async (args, ctx) => {
  const prompt = await preparePrompt({
    audio: { bytes: fileBytes(args.audio), fileName: args.audio.fileName },
    midi: { bytes: fileBytes(args.midi), fileName: args.midi.fileName },
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
  ctx.events.emit({ type: 'library.changed', what: 'performers' });
  return performerSummary(record);
};

/** To the trash, with the renders that use it when forced; else a 'conflict' naming those renders. */
export const performersRemove: Handler<'performers.remove'> = (args, ctx) => {
  const entry = trashPerformer(ctx.library(), args.id, { force: args.force });
  for (const what of ['performers', 'renders', 'trash'] as const) ctx.events.emit({ type: 'library.changed', what });
  return { removed: true, removedRenders: entry.removedRenders, trash: trashItem(entry) };
};
