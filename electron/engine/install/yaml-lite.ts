// Just enough YAML to read audiocraft's `xp.cfg` (OmegaConf.to_yaml output: block mappings, block lists of
// scalars, flow [] / {}), the same subset as native-models/midivalle/yaml_lite.py. js-yaml is in node_modules only as
// a transitive dependency; the installer reads a handful of scalar fields, so this stays self-contained.

function scalar(raw: string): unknown {
  const text = raw.trim();
  if (['', 'null', '~', 'None'].includes(text)) return null;
  if (text === 'true' || text === 'True') return true;
  if (text === 'false' || text === 'False') return false;
  if (text.startsWith('[') || text.startsWith('{')) {
    const inner = text.slice(1, -1).trim();
    if (!inner) return text.startsWith('[') ? [] : {};
    if (text.startsWith('[')) return inner.split(',').map(scalar);
    return Object.fromEntries(
      inner.split(',').map((part) => {
        const at = part.indexOf(':');
        return [part.slice(0, at).trim(), scalar(part.slice(at + 1))];
      }),
    );
  }
  if (text.startsWith("'") || text.startsWith('"')) return text.slice(1, -1);
  if (/^[-+]?\d+$/.test(text)) return Number.parseInt(text, 10);
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number.parseFloat(text);
  return text;
}

type Line = [indent: number, text: string];

function parse(lines: Line[], start: number, indent: number): [unknown, number] {
  let i = start;
  if (i < lines.length && lines[i]![1].startsWith('-')) {
    const items: unknown[] = [];
    while (i < lines.length && lines[i]![0] === indent && lines[i]![1].startsWith('-')) {
      items.push(scalar(lines[i]![1].slice(1)));
      i++;
    }
    return [items, i];
  }
  const result: Record<string, unknown> = {};
  while (i < lines.length && lines[i]![0] === indent) {
    const text = lines[i]![1];
    const at = text.indexOf(':');
    const key = (at < 0 ? text : text.slice(0, at)).trim();
    const rest = at < 0 ? '' : text.slice(at + 1);
    i++;
    if (rest.trim()) result[key] = scalar(rest);
    else if (i < lines.length && (lines[i]![0] > indent || lines[i]![1].startsWith('-'))) {
      [result[key], i] = parse(lines, i, lines[i]![0]);
    } else result[key] = null;
  }
  return [result, i];
}

export function parseYamlLite(text: string): unknown {
  const lines: Line[] = text
    .split(/\r?\n/)
    .filter((raw) => raw.trim() && !raw.trimStart().startsWith('#'))
    .map((raw) => [raw.length - raw.replace(/^ +/, '').length, raw.trim()]);
  return lines.length ? parse(lines, 0, lines[0]![0])[0] : {};
}
