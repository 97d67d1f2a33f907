// pack.json exactly as Python's json.dump(manifest, f, indent=2) + "\n" writes it (native-models/midivalle/pack.py):
// same layout as JSON.stringify(..., 2), and ensure_ascii, which escapes everything outside ' '..'~' as \uXXXX.
export function pythonJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${text}\n`;
}
