import { Menu, type MenuItemConstructorOptions } from 'electron';

/**
 * The standard menus, except that Undo/Redo do not register their accelerators: on Windows and
 * Linux a registered Ctrl+Z is consumed by the menu before the page sees it, and the studio's own
 * Ctrl+Z (undo the last deletion) must reach the page. Text fields keep Chromium's own undo for the
 * key, and the menu items still undo typing when clicked.
 */
export function installAppMenu(): void {
  const mac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    { role: 'fileMenu' },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo', registerAccelerator: false },
        { role: 'redo', registerAccelerator: false },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
