import { app, BrowserWindow, dialog, session, utilityProcess } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ENGINE_HOST_EXEC_ARGV, EngineClient, engineHostEnv, utilityProcessTransport } from '../engine';
import { setEngineFactory } from '../services/neural/engine-session';
import { createStudio } from '../services/studio';
import { installAppMenu } from './app-menu';
import { handleAudioScheme, registerAudioScheme } from './audio-protocol';
import { dialogHandlers } from './dialogs';
import { wireIpc } from './ipc';
import { hardenContents, hardenSession } from './security';
import { studioWebPreferences } from './web-preferences';

// Bundled to out/electron/main.cjs; the renderer is built to out/renderer.
const outDir = join(__dirname, '..');
const rendererUrl = pathToFileURL(join(outDir, 'renderer', 'index.html')).toString();

app.enableSandbox();
registerAudioScheme();

async function start(): Promise<void> {
  await app.whenReady();
  installAppMenu();
  hardenSession(session.defaultSession);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, rendererUrl));

  // ONNX Runtime runs in a utility process: session.run blocks its thread, and a crash there
  // must not take the window down.
  setEngineFactory(
    () =>
      new EngineClient(
        utilityProcessTransport(
          utilityProcess.fork(join(outDir, 'electron', 'engine-host.cjs'), [], {
            serviceName: 'MIDI-VALLE engine',
            env: engineHostEnv(),
            execArgv: [...ENGINE_HOST_EXEC_ARGV],
          }),
        ),
      ),
  );
  const home = process.env.MIDI_VALLE_HOME ?? join(app.getPath('userData'), 'library');
  const studio = createStudio({
    home,
    host: 'electron',
    hostHandlers: dialogHandlers(dialog, () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]),
  });
  handleAudioScheme((hash) => studio.resolveBlob(hash));
  wireIpc(studio, rendererUrl, () => BrowserWindow.getAllWindows().map((w) => w.webContents));

  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'MIDI-VALLE Studio',
    show: false,
    webPreferences: studioWebPreferences(join(outDir, 'electron', 'preload.cjs')),
  });
  window.once('ready-to-show', () => window.show());
  await window.loadURL(rendererUrl);
  studio.ctx.jobs.resumeInterrupted();

  app.on('window-all-closed', () => {
    void studio.close().finally(() => app.quit());
  });
}

void start();
