// Errors cross every boundary (IPC, WebSocket, engine host) as values, never as thrown objects:
// structured clone drops Error subclasses and their fields, so a plain shape is the only honest carrier.
export const ERROR_CODES = [
  'invalid-argument', // the caller sent arguments that fail the contract's schema
  'unknown-method', // the method name is not in the contract
  'bad-input', // a file or value from the user is unusable (bad MIDI, silent audio, ...)
  'not-found', // an id that names nothing in the library
  'unavailable', // a capability that this machine or install lacks (no GPU, no pack)
  'unsupported', // a capability this host never has (OS dialogs outside Electron)
  'cancelled', // the user cancelled the work
  'runtime', // anything else: a bug or an environment failure
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface StudioError {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: StudioError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string): Result<never> => ({
  ok: false,
  error: { code, message },
});

/** Thrown inside services when a failure has a known code; the dispatcher turns it into a value. */
export class StudioFailure extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'StudioFailure';
    this.code = code;
  }
}
