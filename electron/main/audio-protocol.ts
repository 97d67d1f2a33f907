import { protocol } from 'electron';
import { answerAudioRequest } from './audio-response';

export const AUDIO_SCHEME = 'studio-audio';

/** Must run before app 'ready': lets audio elements stream and seek from the scheme. */
export function registerAudioScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: AUDIO_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  ]);
}

/** Serves library blobs, and nothing else, to the renderer's audio elements. */
export function handleAudioScheme(resolveBlob: (hash: string) => string | undefined): void {
  protocol.handle(AUDIO_SCHEME, (request) => answerAudioRequest(request, resolveBlob));
}
