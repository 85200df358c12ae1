import type { Translate } from '../domain/flows/flow-nodes';
import { matchLocale } from './locales';
import { plainText } from './plain-text';

const keepChunks = (chunks: string) => chunks;

/** Message text for `text` fallbacks: placeholders filled, rich-text tags (<link>, <strong>) dropped. */
export const translateFlowMessage: Translate = (locale, id, context) => plainText(matchLocale(locale) ?? 'en', id, { ...context, link: keepChunks, strong: keepChunks });
