// Which view is open and the theme; the theme persists locally and in the studio settings.
export type View = 'studio' | 'compare' | 'works' | 'settings' | 'about';
export type ThemeChoice = 'system' | 'light' | 'dark';

const THEME_KEY = 'midi-valle-theme';

function storedTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' || value === 'system' ? value : 'system';
  } catch {
    return 'system';
  }
}

class Ui {
  view = $state<View>('studio');
  theme = $state<ThemeChoice>(storedTheme());
  exportOpen = $state(false);
  /** Files dropped that belong to the add-performer form (audio, maybe with its MIDI). */
  droppedForPerformer = $state<{ audio?: File; midi?: File } | null>(null);

  setTheme(theme: ThemeChoice): void {
    this.theme = theme;
    try {
      localStorage.setItem(THEME_KEY, theme);
    } catch {
      // private mode or storage disabled: the choice lasts this session
    }
  }

  /** The studio's saved theme applies unless this browser chose one itself. */
  adoptSavedTheme(theme: ThemeChoice): void {
    try {
      if (localStorage.getItem(THEME_KEY)) return;
    } catch {
      // no storage: the saved setting wins
    }
    this.theme = theme;
  }

  resolvedTheme(): 'light' | 'dark' {
    if (this.theme !== 'system') return this.theme;
    return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
}

export const ui = new Ui();
