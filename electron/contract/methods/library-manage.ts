import { z } from 'zod';
import { defineMethod } from '../define';
import { Id, TrashItem } from './common';
import { PerformerSummary } from './performers';
import { PieceSummary } from './pieces';
import { RenderDetail, RenderSummary } from './renders';

const Name = z.string().trim().min(1).max(200);

// Tidying the library: rename, delete (to the trash), restore, empty the trash.
export const libraryManageMethods = {
  'pieces.rename': defineMethod({
    summary: 'Rename a piece (its title, and its composer when given; an empty composer clears it).',
    input: z.object({ id: Id, title: Name, composer: z.string().max(200).optional() }).strict(),
    output: PieceSummary,
  }),
  'performers.rename': defineMethod({
    summary: "Rename a performer; a name in use is a 'conflict'.",
    input: z.object({ id: Id, name: Name }).strict(),
    output: PerformerSummary,
  }),
  'renders.rename': defineMethod({
    summary: 'Name a render (an empty name clears it: the render is then labelled by piece and performer).',
    input: z.object({ id: Id, name: z.string().max(200) }).strict(),
    output: RenderSummary,
  }),
  'renders.remove': defineMethod({
    summary:
      'Move a render with its takes to the trash (refused while it renders, or holds locked takes unless forced).',
    input: z.object({ id: Id, force: z.boolean().optional() }).strict(),
    output: z.object({ removed: z.boolean(), trash: TrashItem }),
  }),
  'takes.remove': defineMethod({
    summary:
      'Move a take to the trash; the only take of a segment is refused; deleting the chosen take chooses the newest other one and rebuilds the mix.',
    input: z.object({ takeId: Id }).strict(),
    output: z.object({ trash: TrashItem, chosenTakeId: z.string().nullable(), render: RenderDetail }),
  }),
  'trash.list': defineMethod({
    summary: 'What is in the trash, newest deletion first.',
    input: z.object({}).strict(),
    output: z.array(TrashItem),
  }),
  'trash.restore': defineMethod({
    summary: "Put a deleted item back (the newest deletion when no id is given); 'conflict' says what is in the way.",
    input: z.object({ id: z.string().min(1).max(64).optional() }).strict(),
    output: TrashItem.extend({ renderId: z.string().nullable() }),
  }),
  'trash.empty': defineMethod({
    summary: 'Delete what is in the trash for good (one entry, or all); the blobs go at the next gc.',
    input: z.object({ id: z.string().min(1).max(64).optional() }).strict(),
    output: z.object({ removed: z.number().int() }),
  }),
} as const;
