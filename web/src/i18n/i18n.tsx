import { createContext, ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { Language, LANGUAGES, MessageKey, MESSAGES } from './messages';

const STORAGE_KEY = 'kubelab.language';

/** Text in both languages, as the API sends lab titles and instructions. */
export type Localized = Partial<Record<Language, string>>;

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** Picks the current language from a two-language text, falling back to the other one. */
  pick(text: Localized | undefined): string;
  formatTime(iso: string | Date, options?: { seconds?: boolean }): string;
  formatDateTime(iso: string | Date): string;
}

const I18nContext = createContext<I18n | undefined>(undefined);

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Language;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);

  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLanguageState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    document.documentElement.lang = language;
    const locale = language === 'zh-CN' ? 'zh-CN' : 'en-GB';
    return {
      language,
      setLanguage,
      t: (key, params) =>
        MESSAGES[language][key].replace(/\{(\w+)\}/g, (_, name: string) =>
          String(params?.[name] ?? `{${name}}`),
        ),
      pick: (text) => text?.[language] ?? text?.[language === 'en' ? 'zh-CN' : 'en'] ?? '',
      formatTime: (iso, options) =>
        new Date(iso).toLocaleTimeString(locale, {
          hour: '2-digit',
          minute: '2-digit',
          second: options?.seconds ? '2-digit' : undefined,
        }),
      formatDateTime: (iso) =>
        new Date(iso).toLocaleString(locale, {
          month: 'short',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        }),
    };
  }, [language, setLanguage]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}
