// The engine host: a process of its own, so that ONNX Runtime's blocking session.run never
// stalls the UI or the main process. In Electron it is a utilityProcess (process.parentPort);
// for the CLI and the browser host a child_process.fork (process.send).
import { createRequire } from 'node:module';

interface HostRequest {
  id: number;
  type: string;
  payload?: unknown;
}

type Reply = (message: unknown) => void;

function describeRuntime(): { ortVersion: string; backends: Array<{ name: string; bundled: boolean }> } {
  const require = createRequire(import.meta.url);
  const ort = require('onnxruntime-node') as {
    env: { versions: { node?: string; common?: string } };
    listSupportedBackends?: () => Array<{ name: string; bundled: boolean }>;
  };
  return {
    ortVersion: ort.env.versions.node ?? ort.env.versions.common ?? 'unknown',
    backends: ort.listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }],
  };
}

async function handle(request: HostRequest): Promise<unknown> {
  switch (request.type) {
    case 'hello':
      return { pid: process.pid, ...describeRuntime() };
    default:
      throw new Error(`unknown engine request ${request.type}`);
  }
}

function serve(onMessage: (listener: (message: HostRequest) => void) => void, reply: Reply): void {
  onMessage((request) => {
    handle(request).then(
      (value) => reply({ id: request.id, result: { ok: true, value } }),
      (error: unknown) =>
        reply({
          id: request.id,
          result: {
            ok: false,
            error: { code: 'runtime', message: error instanceof Error ? error.message : String(error) },
          },
        }),
    );
  });
}

const parentPort = (
  process as unknown as {
    parentPort?: { on(e: 'message', l: (m: { data: HostRequest }) => void): void; postMessage(m: unknown): void };
  }
).parentPort;
if (parentPort) {
  serve(
    (listener) => parentPort.on('message', (event) => listener(event.data)),
    (m) => parentPort.postMessage(m),
  );
} else if (process.send) {
  serve(
    (listener) => process.on('message', (m) => listener(m as HostRequest)),
    (m) => process.send?.(m),
  );
}
