// A piece's title from the MIDI file's own text: track names and text meta events often name the
// work, the composer and the player (e-competition and Disklavier files write "Chopin Etude, Opus 10,
// No. 3 performed on the Yamaha Disklavier by Mei-Ting Sun--06/17/02", or "Mazeppa--Sheng Cai").
// The file name is only the fallback.
import type { MidiEvent } from 'midi-file';
import { readSmf } from './smf';

export interface MidiTitle {
  title: string;
  composer: string | null;
  playedBy: string | null;
  /** Where the title came from. */
  source: 'text' | 'track-name' | 'file-name';
}

/** Names writers put in by default, which say nothing about the piece. */
const GENERIC =
  /^(untitled|track ?\d*|piano|acoustic grand piano|grand piano|bright acoustic piano|midi|sequence|seq-?\d*|tempo track|control track|conductor|main|new track|\d+)$/i;
const FILE_NAME = /\.(mid|midi|kar|smf)$/i;

/** Meta text with NULs, control characters and runs of spaces (fixed-width fields) removed. */
const clean = (text: string): string =>
  Array.from(text, (c) => (c.charCodeAt(0) < 0x20 ? (c === '\0' ? '' : ' ') : c))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();

/** Notes about the file rather than the music (URLs, processing and capture notices). */
const NOTICE = /https?:|www\.|copyright|\(c\)|©|processed|captured|competition|all rights/i;

const usable = (text: string): boolean =>
  text.length >= 2 && text.length <= 200 && !GENERIC.test(text) && !FILE_NAME.test(text) && !NOTICE.test(text);

/** Musical forms: a surname before one of these is the composer ("Chopin Etude …"). */
const FORMS =
  /^(etudes?|studies|study|fantas(y|ie|ia)|sonat(a|as|ina)|ballades?|preludes?|fugues?|nocturnes?|waltz(es)?|valses?|mazurkas?|polonaises?|scherz(o|i)|impromptus?|variations?|concert(o|os)|rhapsod(y|ies)|suites?|partitas?|toccatas?|inventions?|rondos?|barcarolle|berceuse|transcendental|piano|symphon(y|ies)|minuets?|bagatelles?|intermezz(o|i)|capriccios?|romances?|songs?|hungarian|english|french|italian|well-tempered|goldberg|kinderszenen|kreisleriana|carnaval|images|estampes|gaspard|pictures|years|annees|années|consolations?|paganini|wanderer|op\.?|opus)\b/i;

/** The texts of a file, in order: every track's name, then text, copyright aside. */
function metaTexts(tracks: MidiEvent[][]): { names: string[]; texts: string[] } {
  const names: string[] = [];
  const texts: string[] = [];
  for (const track of tracks) {
    for (const event of track) {
      if (event.type === 'trackName') names.push(clean(event.text));
      else if (event.type === 'text') texts.push(clean(event.text));
    }
  }
  return { names: names.filter(usable), texts: texts.filter(usable) };
}

/** "Chopin Etude, Opus 10, No. 3 performed on … by Mei-Ting Sun--06/17/02" and similar. */
function fromPerformedBy(text: string): Omit<MidiTitle, 'source'> | undefined {
  const m = /^(.+?)\s+(?:performed|played|recorded)\b(?:.*?\bby\s+(.+?))?(?:\s*--.*)?$/i.exec(text);
  if (!m) return undefined;
  const work = m[1]!.replace(/[,;:]+$/, '').trim();
  const playedBy = m[2]?.trim() || null;
  // These files lead with the composer's surname: "Schubert Fantasy …", "Chopin Etude …".
  const lead = /^(\p{Lu}[\p{L}'-]+)\s+(.+)$/u.exec(work);
  if (lead && FORMS.test(lead[2]!)) {
    return { title: lead[2]!, composer: lead[1]!, playedBy };
  }
  return { title: work, composer: null, playedBy };
}

/** "Ballade No. 1, by Chopin" / "Ballade No. 1 - Chopin". */
function fromBy(text: string): Omit<MidiTitle, 'source'> | undefined {
  const m = /^(.+?),?\s+(?:by|composed by|von|de)\s+(.+)$/i.exec(text);
  if (!m) return undefined;
  return { title: m[1]!.replace(/[,;:]+$/, '').trim(), composer: m[2]!.trim(), playedBy: null };
}

/** "Mazeppa--Sheng Cai", "Sonata Op. 27/2--Scott Meek": work, then the player. */
function fromTrackName(name: string): Omit<MidiTitle, 'source'> {
  const [work, player] = name.split(/\s*--\s*/, 2);
  return { title: work!.trim() || name, composer: null, playedBy: player?.trim() || null };
}

function fromFileName(fileName: string): MidiTitle {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  return { title: base.trim() || 'Untitled', composer: null, playedBy: null, source: 'file-name' };
}

/** The title, composer and player a MIDI file names; falls back to its file name. Never throws on text. */
export function titleFromMidi(bytes: Uint8Array, fileName: string): MidiTitle {
  let texts: { names: string[]; texts: string[] };
  try {
    texts = metaTexts(readSmf(bytes, fileName).tracks);
  } catch {
    return fromFileName(fileName);
  }
  for (const text of texts.texts) {
    const found = fromPerformedBy(text) ?? fromBy(text);
    if (found && usable(found.title)) return { ...found, source: 'text' };
  }
  for (const name of texts.names) {
    const found = fromBy(name) ?? fromTrackName(name);
    if (usable(found.title)) return { ...found, source: 'track-name' };
  }
  return fromFileName(fileName);
}
