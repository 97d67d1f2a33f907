// Validation errors in words a person can act on: the field by its name in the studio, what it
// must be, and the allowed range read from the schema itself (both ends, not only the one crossed).
// The dispatcher uses this for every method, so the views and the CLI say the same thing.
import type { z } from 'zod';

/** How the studio and the CLI name the contract's fields. */
const FIELD_NAMES: Record<string, string> = {
  seed: 'Seed',
  temperature: 'Temperature',
  topK: 'Top-k',
  topP: 'Top-p',
  segmentIndices: 'Segment numbers',
  pieceId: 'Piece',
  performerId: 'Performer',
  renderId: 'Render',
  takeId: 'Take',
  packId: 'Model pack',
  engine: 'Engine',
  batch: 'Batch size',
  fromSec: 'Start time (s)',
  durationSec: 'Length (s)',
  start: 'Start of the 3-s prompt window (s)',
  name: 'Name',
  id: 'Id',
};

type Issue = z.core.$ZodIssue;

const words = (key: string): string =>
  FIELD_NAMES[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

/** The field's name for people; a list element is named by its list ("Segment numbers"). */
function fieldName(path: PropertyKey[]): string {
  const keys = path.filter((p): p is string => typeof p === 'string');
  return keys.length ? words(keys[keys.length - 1]!) : 'The request';
}

const number = (n: number): string => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6))));

/** The schema at `path` inside `schema`, unwrapping optionals and defaults. */
function schemaAt(schema: z.ZodType | undefined, path: PropertyKey[]): z.ZodType | undefined {
  let node: unknown = schema;
  const unwrap = (): void => {
    for (let i = 0; i < 8; i++) {
      const def = (node as { def?: { type?: string; innerType?: unknown } } | undefined)?.def;
      if (def && (def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType)
        node = def.innerType;
      else return;
    }
  };
  unwrap();
  for (const key of path) {
    const def = (node as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } } | undefined)
      ?.def;
    if (!def) return undefined;
    if (def.type === 'object' && typeof key === 'string') node = def.shape?.[key];
    else if (def.type === 'array' && typeof key === 'number') node = def.element;
    else return undefined;
    unwrap();
  }
  return node as z.ZodType | undefined;
}

/** "a whole number from 0 to 4294967295", "a number above 0 and at most 5", read off a number schema. */
function numberRange(schema: z.ZodType | undefined, issue?: Issue): string {
  type Check = { check?: string; value?: unknown; inclusive?: boolean; format?: string };
  const checks = (
    (schema as { _zod?: { def?: { checks?: Array<{ _zod: { def: Check } }> } } } | undefined)?._zod?.def?.checks ?? []
  ).map((c) => c._zod.def);
  let whole = checks.some((c) => c.check === 'number_format' && /int/.test(c.format ?? ''));
  let low: { value: number; inclusive: boolean } | undefined;
  let high: { value: number; inclusive: boolean } | undefined;
  for (const c of checks) {
    if (typeof c.value !== 'number') continue;
    if (c.check === 'greater_than') low = { value: c.value, inclusive: c.inclusive !== false };
    if (c.check === 'less_than') high = { value: c.value, inclusive: c.inclusive !== false };
  }
  if (issue?.code === 'too_small' && !low) low = { value: Number(issue.minimum), inclusive: !!issue.inclusive };
  if (issue?.code === 'too_big' && !high) high = { value: Number(issue.maximum), inclusive: !!issue.inclusive };
  if (issue?.code === 'invalid_type' && String(issue.expected).includes('int')) whole = true;
  const safe = (b: typeof low): b is { value: number; inclusive: boolean } =>
    b !== undefined && Math.abs(b.value) < Number.MAX_SAFE_INTEGER;
  const kind = whole ? 'a whole number' : 'a number';
  if (safe(low) && safe(high) && low.inclusive && high.inclusive)
    return `${kind} from ${number(low.value)} to ${number(high.value)}`;
  const lowWords = safe(low) ? `${low.inclusive ? 'at least' : 'above'} ${number(low.value)}` : '';
  const highWords = safe(high) ? `${high.inclusive ? 'at most' : 'below'} ${number(high.value)}` : '';
  return [kind, [lowWords, highWords].filter(Boolean).join(' and ')].filter(Boolean).join(' ');
}

const received = (input: unknown): string =>
  input === undefined
    ? 'nothing'
    : typeof input === 'string'
      ? JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)
      : typeof input === 'number' || typeof input === 'boolean'
        ? String(input)
        : Array.isArray(input)
          ? 'a list'
          : 'an object';

/** One issue in words, e.g. "Temperature must be a number above 0 and at most 5 (got 0)". */
export function describeIssue(issue: Issue, schema?: z.ZodType, args?: unknown): string {
  const field = fieldName(issue.path);
  const at = schemaAt(schema, issue.path);
  let value: unknown = args;
  for (const key of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  const got = issue.path.length ? ` (got ${received(value)})` : '';
  switch (issue.code) {
    case 'too_small':
    case 'too_big': {
      if (issue.origin === 'number' || issue.origin === 'bigint')
        return `${field} must be ${numberRange(at, issue)}${got}`;
      if (issue.origin === 'string') {
        const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
        return issue.code === 'too_small' && bound === 1
          ? `${field} must not be empty`
          : `${field} must have ${issue.code === 'too_small' ? 'at least' : 'at most'} ${bound} characters`;
      }
      if (issue.origin === 'array') {
        const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
        return `${field} must list ${issue.code === 'too_small' ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}`;
      }
      return `${field} is out of range${got}`;
    }
    case 'invalid_type': {
      if (value === undefined) return `${field} is missing`;
      if (issue.expected === 'number' || issue.expected === 'int' || String(issue.expected).includes('int'))
        return `${field} must be ${numberRange(at, issue)}${got}`;
      return `${field} must be ${issue.expected === 'string' ? 'text' : `a ${issue.expected}`}${got}`;
    }
    case 'invalid_value':
      return `${field} must be one of ${issue.values.map((v) => String(v)).join(', ')}${got}`;
    case 'invalid_format':
      return `${field} is not in the expected form${got}`;
    case 'unrecognized_keys':
      return `${field === 'The request' ? 'The request' : field} has a field the studio does not know: ${issue.keys.join(', ')}`;
    default:
      return `${field}: ${issue.message}`;
  }
}

/** A whole issue list as one line (at most three issues). */
export function describeIssues(issues: readonly Issue[], schema?: z.ZodType, args?: unknown): string {
  return issues
    .slice(0, 3)
    .map((issue) => describeIssue(issue, schema, args))
    .join('; ');
}
