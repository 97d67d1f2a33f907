// A seed typed by a person: empty (a random one) or a whole number 0…4294967295, nothing else.
export const MAX_SEED = 0xffffffff;

export type SeedParse = { ok: true; seed: number | undefined } | { ok: false; message: string };

export function parseSeed(text: string): SeedParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, seed: undefined };
  if (!/^\d+$/.test(trimmed) || Number(trimmed) > MAX_SEED)
    return { ok: false, message: `A seed is a whole number from 0 to ${MAX_SEED} (or empty for a random one).` };
  return { ok: true, seed: Number(trimmed) };
}
