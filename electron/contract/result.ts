// Errors cross every boundary (IPC, WebSocket, engine host) as values, never as thrown objects:
// structured clone drops Error subclasses and their fields, so a plain shape is the only honest carrier.
// The codes and shapes live in electron/shared/failure.ts so that domains can use them without the contract.
export { ERROR_CODES, StudioFailure, ok, fail, type ErrorCode, type StudioError, type Result } from '../shared/failure';
