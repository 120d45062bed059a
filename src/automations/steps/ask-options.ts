import type { FieldError } from '../../errors.ts';
import type { InteractiveContent } from '../../providers/types.ts';
import { foldText } from '../keywords.ts';
import type { Edge, StepDefinition } from './types.ts';

/** WhatsApp's limits: 3 reply buttons of 20 characters; 10 list rows of 24 (description 72), opened by a button of 20. */
export const ASK_LIMITS = { buttons: 3, buttonTitle: 20, rows: 10, rowTitle: 24, rowDescription: 72, listButton: 20, id: 200 } as const;

/** One answer an ask step offers: its id, its title, its own edge when set. */
export interface AskOption {
  id: string;
  title: string;
  description?: string;
  next?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The options of an ask step (its buttons, or its list's rows), with the JSON path of each. */
export function askOptions(step: StepDefinition): AskOption[] {
  if (Array.isArray(step.buttons)) return step.buttons as AskOption[];
  return isObject(step.list) && Array.isArray(step.list.rows) ? step.list.rows as AskOption[] : [];
}

function checkOptions(options: unknown, path: string, max: number, titleMax: number, rows: boolean): FieldError[] {
  if (!Array.isArray(options) || options.length === 0 || options.length > max) return [{ path, message: `must be a list of 1 to ${max} ${rows ? 'rows' : 'buttons'}` }];
  const out: FieldError[] = [];
  const ids = new Set<string>();
  options.forEach((o: unknown, i) => {
    const at = `${path}.${i}`;
    if (!isObject(o)) { out.push({ path: at, message: 'must be an object {id, title, next?}' }); return; }
    const allowed = rows ? ['id', 'title', 'description', 'next'] : ['id', 'title', 'next'];
    for (const k of Object.keys(o)) if (!allowed.includes(k)) out.push({ path: `${at}.${k}`, message: `is not a setting of ${rows ? 'a row' : 'a button'}` });
    if (typeof o.id !== 'string' || o.id.trim() === '' || o.id.length > ASK_LIMITS.id) out.push({ path: `${at}.id`, message: `must be a text of 1 to ${ASK_LIMITS.id} characters` });
    else if (ids.has(o.id)) out.push({ path: `${at}.id`, message: 'is the id of another option' });
    else ids.add(o.id);
    if (typeof o.title !== 'string' || o.title.trim() === '' || [...o.title].length > titleMax) out.push({ path: `${at}.title`, message: `must be a text of 1 to ${titleMax} characters` });
    if (o.description !== undefined && (typeof o.description !== 'string' || [...o.description].length > ASK_LIMITS.rowDescription)) out.push({ path: `${at}.description`, message: `must be a text of at most ${ASK_LIMITS.rowDescription} characters` });
    if (o.next !== undefined && typeof o.next !== 'string') out.push({ path: `${at}.next`, message: 'must be a step id' });
  });
  return out;
}

/** Checks an ask step's `buttons` (1 to 3, titles ≤ 20) or `list` ({button ≤ 20, rows: 1 to 10, titles ≤ 24}): exactly one of them. */
export function checkAskOptions(step: StepDefinition, path: string): FieldError[] {
  if ((step.buttons === undefined) === (step.list === undefined)) return [{ path: `${path}.buttons`, message: 'give exactly one of buttons and list' }];
  if (step.buttons !== undefined) return checkOptions(step.buttons, `${path}.buttons`, ASK_LIMITS.buttons, ASK_LIMITS.buttonTitle, false);
  const list = step.list;
  if (!isObject(list)) return [{ path: `${path}.list`, message: 'must be an object {button, rows}' }];
  const out: FieldError[] = Object.keys(list).filter((k) => k !== 'button' && k !== 'rows').map((k) => ({ path: `${path}.list.${k}`, message: 'is not a setting of a list' }));
  if (typeof list.button !== 'string' || list.button.trim() === '' || [...list.button].length > ASK_LIMITS.listButton) out.push({ path: `${path}.list.button`, message: `must be a text of 1 to ${ASK_LIMITS.listButton} characters` });
  return [...out, ...checkOptions(list.rows, `${path}.list.rows`, ASK_LIMITS.rows, ASK_LIMITS.rowTitle, true)];
}

/** The edges of the options that set their own `next` (named option_<i>). */
export function optionEdges(step: StepDefinition, path: string): Edge[] {
  const at = Array.isArray(step.buttons) ? `${path}.buttons` : `${path}.list.rows`;
  return askOptions(step).flatMap((o, i) => (isObject(o) && typeof o.next === 'string' ? [{ path: `${at}.${i}.next`, name: `option_${i}`, target: o.next }] : []));
}

/** The interactive content of the question (WhatsApp): its buttons or its list. */
export function interactiveOf(step: StepDefinition): InteractiveContent {
  const options = askOptions(step).map((o) => (o.description ? { id: o.id, title: o.title, description: o.description } : { id: o.id, title: o.title }));
  return Array.isArray(step.buttons) ? { type: 'button', options } : { type: 'list', button: (step.list as { button: string }).button, options };
}

/** The question as text on channels without interactive messages: the body, a blank line, then "1. Sales\n2. Support…". */
export function numberedMenu(body: string, step: StepDefinition): string {
  return `${body}\n\n${askOptions(step).map((o, i) => `${i + 1}. ${o.title}`).join('\n')}`;
}

/**
 * The option a reply chooses, with its index: the option id a WhatsApp button or list reply carries, else its text as
 * the option's number ("2", "2.", "2)"), title or id, compared folded (keywords.ts: case, accents and spaces ignored).
 */
export function chosenOption(step: StepDefinition, reply: { text: string; option_id?: string | null }): { option: AskOption; index: number } | null {
  const options = askOptions(step);
  let index = reply.option_id ? options.findIndex((o) => o.id === reply.option_id) : -1;
  if (index < 0) {
    const folded = foldText(reply.text);
    const number = /^(\d{1,2})[.)]?$/.exec(folded);
    index = number ? Number(number[1]) - 1 : options.findIndex((o) => foldText(o.title) === folded || foldText(o.id) === folded);
  }
  return index >= 0 && index < options.length ? { option: options[index], index } : null;
}
