// electron-builder configuration. It cannot run on our build machines (it downloads Electron),
// so tests/unit/packaging.test.ts checks the rules that matter: native code outside the asar.
/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'studio.midivalle.app',
  productName: 'MIDI-VALLE Studio',
  directories: { output: 'release', buildResources: 'build/resources' },
  files: [
    'out/**/*',
    'package.json',
    '!**/*.map',
    '!native-models/**',
    '!tests/**',
    '!docs/**',
    '!renderer/**',
    '!electron/**',
  ],
  asar: true,
  // Native addons and the shared libraries beside them cannot be loaded from inside an asar.
  asarUnpack: [
    'node_modules/onnxruntime-node/bin/**/*',
    'node_modules/better-sqlite3/**/*.node',
    '**/*.node',
    '**/*.so',
    '**/*.so.*',
    '**/*.dll',
    '**/*.dylib',
  ],
  extraResources: [
    { from: 'resources', to: 'resources', filter: ['**/*'] },
    // Only the built-in test pack ships; real packs are installed by users into their library.
    { from: 'native-models/packs/tiny', to: 'packs/tiny', filter: ['pack.json', '*.onnx', '*.onnx.data'] },
    // Graph templates that `packs install` fills with the official weights (no Python on users' machines).
    { from: 'native-models/templates/real', to: 'templates/real', filter: ['template.json', '*.fp32', '*.int8'] },
  ],
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
  },
  linux: { target: ['AppImage', 'deb'], category: 'Audio' },
  win: { target: ['nsis'] },
  mac: { target: ['dmg'], category: 'public.app-category.music' },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
};
