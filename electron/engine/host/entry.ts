// The engine host: a process of its own, so that ONNX Runtime's blocking session.run never stalls the UI,
// the main process or the CLI's progress output. In Electron it is a utilityProcess (process.parentPort);
// for the CLI and the browser host a child_process.fork (process.send, serialization 'advanced').
import { EngineHost } from './engine-host';
import type { HostMessage } from '../protocol';
import { verifiedPackLoader } from '../pack/verified-load';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

// A bad pack (missing graph, wrong shapes, other vocab sizes, a symlinked or tampered graph) is named
// before any session is made. Checksums are verified at load, once per unchanged pack in this process.
const options = { validatePack: verifiedPackLoader() };

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

if (parentPort) {
  const host = new EngineHost((message: HostMessage) => parentPort.postMessage(message), options);
  parentPort.on('message', (event) => host.receive(event.data));
} else if (process.send) {
  const host = new EngineHost((message: HostMessage) => process.send?.(message), options);
  process.on('message', (message) => host.receive(message));
  // The parent went away (crash, kill -9): nothing left to serve.
  process.on('disconnect', () => process.exit(0));
} else {
  process.stderr.write('engine host: start me with child_process.fork or Electron utilityProcess.fork\n');
  process.exit(2);
}
