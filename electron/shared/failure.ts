// What can go wrong, as codes every layer shares. Domains throw StudioFailure with one of these codes;
// the contract carries them across boundaries as values (electron/contract/result.ts re-exports them),
// so a domain never has to import the contract to say what failed.
export const ERROR_CODES = [
  'invalid-argument', // the caller sent arguments that fail the contract's schema
  'unknown-method', // the method name is not in the contract
  'bad-input', // a file or value from the user is unusable (bad MIDI, silent audio, ...)
  'not-found', // an id that names nothing in the library
  'conflict', // the request conflicts with what the library holds (a locked segment, a name in use)
  'unavailable', // a capability that this machine or install lacks (no GPU, no pack)
  'unsupported', // a capability this host never has (OS dialogs outside Electron)
  'cancelled', // the user cancelled the work
  'runtime', // anything else: a bug or an environment failure
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Thrown inside domains and services when a failure has a known code; the dispatcher turns it into a value. */
export class StudioFailure extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'StudioFailure';
    this.code = code;
  }
}

export interface StudioError {
  code: ErrorCode;
  message: string;
}

/** A failure as a plain value: what crosses IPC, WebSocket and the engine host's messages. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: StudioError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string): Result<never> => ({
  ok: false,
  error: { code, message },
});
