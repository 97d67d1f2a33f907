// The browser host's WebSocket limits, shared by the host and the renderer's bridge (no imports, so the
// renderer bundles only these numbers). A contract file may be up to FILE_DATA_MAX_BYTES (200 MB); such a
// file never travels as one frame: the bridge sends it as upload chunks and the call names the upload.

/** The biggest frame the host reads; a bigger one closes that socket (1009), never the host. */
export const BRIDGE_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Raw bytes per upload chunk: base64 (4/3) plus the JSON envelope stays well under the frame limit. */
export const BRIDGE_UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;

/** One chunk of an upload: the first has no uploadId and gets one back; the rest name it. */
export interface BridgeUploadRequest {
  id: number;
  upload: { uploadId?: string; fileName: string; chunkBase64: string };
}
