import { describe, expect, it, vi } from 'vitest';
import { NodeKit, type Translate } from './flow-nodes';

describe('NodeKit', () => {
  it('renders a message without placeholders once per translator, locale and id', () => {
    const translate = vi.fn<Translate>((locale, id) => `${locale}:${id}`);
    const en = new NodeKit('en', translate);
    expect(en.label('signup.action.continue').text).toBe('en:signup.action.continue');
    expect(new NodeKit('en', translate).label('signup.action.continue').text).toBe('en:signup.action.continue');
    expect(translate).toHaveBeenCalledTimes(1);
    expect(new NodeKit('ja', translate).message('signup.action.continue').text).toBe('ja:signup.action.continue');
    expect(translate).toHaveBeenCalledTimes(2);
    const other = vi.fn<Translate>(() => 'other');
    expect(new NodeKit('en', other).label('signup.action.continue').text).toBe('other');
  });

  it('keeps the text of a message whose values are numbers, per value', () => {
    const translate = vi.fn<Translate>((_locale, id, context) => `${id} ${JSON.stringify(context)}`);
    const kit = new NodeKit('en', translate);
    expect(kit.message('signup.password.rules', 'info', { min: 15, max: 128 }).text).toBe('signup.password.rules {"min":15,"max":128}');
    expect(kit.message('signup.password.rules', 'info', { min: 15, max: 128 })).toEqual({ id: 'signup.password.rules', type: 'info', text: 'signup.password.rules {"min":15,"max":128}', context: { min: 15, max: 128 } });
    expect(translate).toHaveBeenCalledTimes(1);
    expect(kit.message('signup.password.rules', 'info', { min: 8, max: 128 }).text).toBe('signup.password.rules {"min":8,"max":128}');
    expect(translate).toHaveBeenCalledTimes(2);
  });

  it('renders a message with text values every time, with its values', () => {
    const translate = vi.fn<Translate>((_locale, id, context) => `${id} ${JSON.stringify(context)}`);
    const kit = new NodeKit('en', translate);
    expect(kit.message('signup.code.sent', 'info', { email: 'a@example.com' })).toEqual({ id: 'signup.code.sent', type: 'info', text: 'signup.code.sent {"email":"a@example.com"}', context: { email: 'a@example.com' } });
    expect(kit.message('signup.code.sent', 'info', { email: 'b@example.com' }).text).toBe('signup.code.sent {"email":"b@example.com"}');
    expect(translate).toHaveBeenCalledTimes(2);
  });

  it('formats calendar dates for the locale (long style, UTC)', () => {
    const translate: Translate = (_locale, _id, context) => String(context?.birth_date);
    expect(new NodeKit('en', translate).label('x', { birth_date: '1990-12-31' }).text).toBe('December 31, 1990');
    expect(new NodeKit('ja', translate).label('x', { birth_date: '1990-12-31' }).text).toBe('1990年12月31日');
    expect(new NodeKit('en', translate).label('x', { birth_date: '2001-02-03' }).text).toBe('February 3, 2001');
  });
});
