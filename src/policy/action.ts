// An Action from JSON (a `policy test` case, `policy explain --action`, later hook payloads after
// mapping): lenient about what is optional, strict about types, errors naming the field.
import { isObject } from '../core/json.js';
import { ACTION_KINDS, type Action, type ActionKind } from './types.js';


export class ActionError extends Error {}

function str(o: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ActionError(`${where}.${key}: expected a string, found ${v === null ? 'null' : typeof v}`);
  return v;
}

function strings(o: Record<string, unknown>, key: string, where: string): string[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new ActionError(`${where}.${key}: expected a list of strings`);
  return v as string[];
}

export function actionFrom(value: unknown, where = 'action'): Action {
  if (!isObject(value)) throw new ActionError(`${where}: expected a map with at least "kind"`);
  const kind = value['kind'];
  if (typeof kind !== 'string' || !(ACTION_KINDS as readonly string[]).includes(kind)) {
    throw new ActionError(`${where}.kind: expected one of ${ACTION_KINDS.join(', ')}, found ${JSON.stringify(kind)}`);
  }
  const a: Action = { kind: kind as ActionKind };
  const client = str(value, 'client', where);
  if (client !== undefined) a.client = client;
  const server = str(value, 'server', where);
  if (server !== undefined) a.server = server;
  const tool = str(value, 'tool', where);
  if (tool !== undefined) a.tool = tool;
  const caps = strings(value, 'capabilities', where);
  if (caps) a.capabilities = caps;
  if (value['args'] !== undefined) {
    if (!isObject(value['args'])) throw new ActionError(`${where}.args: expected a map of arguments`);
    a.args = value['args'];
  }
  if (value['agent'] !== undefined) {
    if (!isObject(value['agent'])) throw new ActionError(`${where}.agent: expected a map (id, name, user, host)`);
    const agent: NonNullable<Action['agent']> = {};
    for (const k of ['id', 'name', 'user', 'host'] as const) {
      const v = str(value['agent'], k, `${where}.agent`);
      if (v !== undefined) agent[k] = v;
    }
    a.agent = agent;
  }
  if (value['session'] !== undefined) {
    const s = value['session'];
    if (!isObject(s)) throw new ActionError(`${where}.session: expected a map (id, taint, calls)`);
    const session: NonNullable<Action['session']> = {};
    const id = str(s, 'id', `${where}.session`);
    if (id !== undefined) session.id = id;
    const taint = strings(s, 'taint', `${where}.session`);
    if (taint) session.taint = taint;
    if (s['calls'] !== undefined) {
      if (typeof s['calls'] !== 'number' || !Number.isInteger(s['calls']) || s['calls'] < 0) throw new ActionError(`${where}.session.calls: expected a whole number`);
      session.calls = s['calls'];
    }
    a.session = session;
  }
  return a;
}
