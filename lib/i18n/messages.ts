import en from '../../messages/en.json';
import ja from '../../messages/ja.json';
import zhTW from '../../messages/zh-TW.json';
import type { SupportedLocale } from './locales';

export type Messages = typeof en;

export const MESSAGES: Record<SupportedLocale, Messages> = { en, ja, 'zh-TW': zhTW };
