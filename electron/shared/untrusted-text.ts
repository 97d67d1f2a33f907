// Text that came from outside (names typed by a user, titles and track names inside MIDI files, names in
// a bundle from another library) must not drive a terminal: an ESC starts an escape sequence, a BEL
// rings, a CR or newline forges lines. Names are stored clean and compared as people read them.

/** C0/C1 controls, DEL, line/paragraph separators and the bidi controls that reorder what is shown. */
const CONTROL = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

export const hasControlCharacters = (text: string): boolean => new RegExp(CONTROL.source, 'u').test(text);

/** Shows control characters as visible escapes (`\x1b`, `\u202e`); `keep` lists ones left as they are. */
export function terminalSafe(text: string, keep = ''): string {
  return text.replace(CONTROL, (c) => {
    if (keep.includes(c)) return c;
    const code = c.codePointAt(0)!;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A title from a file or another library: NFC, controls become spaces, runs of spaces one, trimmed. */
export const cleanTitle = (text: string): string =>
  text.normalize('NFC').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();

/** A name a user typed: NFC and trimmed; control characters are refused, not silently changed. */
export function checkName(text: string, what: string): string | { problem: string } {
  const name = text.normalize('NFC').trim();
  if (!name) return { problem: `a ${what} needs a name` };
  if (hasControlCharacters(name))
    return {
      problem: `the ${what} name ${JSON.stringify(terminalSafe(name))} contains control characters (escape, bell, newline…); type a plain name`,
    };
  return name;
}

/** How two names compare: after Unicode normalisation and ignoring case (`Éva` = `éva` = `E\u0301va`). */
export const nameKey = (text: string): string => text.normalize('NFC').trim().toLowerCase().normalize('NFC');
