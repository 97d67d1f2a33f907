// Loading and validating a model pack folder: pack.json against the JSON Schema, the engine's fixed vocabulary and
// graph I/O, then every graph file's presence and sha256. Any problem is one StudioFailure('bad-input', ...) line.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { StudioFailure } from '../../shared/failure';
import packSchema from '../../../native-models/pack.schema.json';
import { checkExpectations } from './expectations';
import {
  GRAPH_KEYS,
  OPTIONAL_GRAPH_KEYS,
  PACK_FORMAT_VERSION,
  type GraphKey,
  type OptionalGraphKey,
  type PackManifest,
  type PackManifestJson,
} from './types';

export interface LoadPackOptions {
  /** Hash every graph and compare with pack.json (default true; a 2 GB pack takes a few seconds). */
  verifyChecksums?: boolean;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validateSchema = ajv.compile<PackManifestJson>(packSchema);

function bad(dir: string, problem: string): StudioFailure {
  // The problem may quote pack.json text or values (JSON.parse excerpts, field values): keep it one line.
  const oneLine = problem.replace(/\p{Cc}+/gu, ' ');
  return new StudioFailure('bad-input', `model pack ${dir}: ${oneLine}`);
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Parse and check pack.json without touching the graph files. */
export function parsePackManifest(text: string, dir = '(pack.json)'): PackManifestJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw bad(
      dir,
      `pack.json is not valid JSON (${(error as Error).message}); re-create the pack with native-models/convert.py`,
    );
  }
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version !== PACK_FORMAT_VERSION) {
    throw bad(
      dir,
      `pack format version ${version} is not the version this engine reads (${PACK_FORMAT_VERSION}); re-create the pack from its checkpoints with native-models/convert.py`,
    );
  }
  if (!validateSchema(json)) {
    const first = (validateSchema.errors ?? [])
      .slice(0, 3)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
      .join('; ');
    throw bad(dir, `pack.json does not follow the pack schema: ${first}`);
  }
  const problems = checkExpectations(json);
  if (problems.length > 0) {
    const more = problems.length > 3 ? ` (+${problems.length - 3} more)` : '';
    throw bad(dir, `not usable by this engine: ${problems.slice(0, 3).join('; ')}${more}`);
  }
  return json;
}

/** Validate the pack folder `dir` and return its manifest with absolute graph paths. */
/**
 * Refuses any symbolic link inside a pack folder: pack.json or a graph could otherwise point at any file
 * of the machine (quoted in errors, or swapped for other weights after the import checked them).
 */
async function refuseLinks(root: string, dir = root): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // a missing folder is reported below, with its own message
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink())
      throw bad(root, `${relative(root, path)} is a symbolic link; a pack must hold its own files, copy them in`);
    if (entry.isDirectory()) await refuseLinks(root, path);
  }
}

export async function loadPackManifest(dir: string, options: LoadPackOptions = {}): Promise<PackManifest> {
  const root = resolve(dir);
  await refuseLinks(root);
  let text: string;
  try {
    text = await readFile(join(root, 'pack.json'), 'utf8');
  } catch {
    if (!(await stat(root).catch(() => undefined))) {
      throw new StudioFailure('not-found', `model pack ${root} does not exist; check the path`);
    }
    throw bad(root, 'no pack.json found; choose the folder that contains pack.json (or the pack .zip)');
  }
  const json = parsePackManifest(text, root);
  const graphPaths = {} as PackManifest['graphPaths'];
  const present = OPTIONAL_GRAPH_KEYS.filter((key) => json.graphs[key]);
  for (const key of [...GRAPH_KEYS, ...present] as Array<GraphKey | OptionalGraphKey>) {
    const entry = json.graphs[key]!;
    const path = join(root, entry.file);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile())
      throw bad(root, `graph ${key} file ${entry.file} is missing; the pack is incomplete, copy it again`);
    if (entry.bytes !== undefined && info.size !== entry.bytes) {
      throw bad(
        root,
        `graph ${key} file ${entry.file} has ${info.size} bytes, pack.json says ${entry.bytes}; the file is damaged`,
      );
    }
    if (options.verifyChecksums !== false) {
      const actual = await sha256OfFile(path);
      if (actual !== entry.sha256) {
        throw bad(
          root,
          `graph ${key} file ${entry.file} fails its sha256 check (got ${actual.slice(0, 12)}…, expected ${entry.sha256.slice(0, 12)}…); the file is damaged`,
        );
      }
    }
    graphPaths[key] = path;
  }
  return { ...json, dir: root, graphPaths };
}
