import type { Builtin } from './context';
import { cat, mkdir, rm, touch } from './files';
import { grep } from './grep';
import { ls } from './ls';
import { cd, pwd } from './navigation';
import { clear, deactivate, env, exit, exportBuiltin, falseBuiltin, help, history, source, trueBuiltin, unset, which } from './session';
import { cut, echo, head } from './text';
import { xargs } from './xargs';

/** Every command the shell runs itself, over the host's filesystem. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['cat', cat],
  ['cd', cd],
  ['clear', clear],
  ['cut', cut],
  ['deactivate', deactivate],
  ['echo', echo],
  ['env', env],
  ['exit', exit],
  ['export', exportBuiltin],
  ['false', falseBuiltin],
  ['grep', grep],
  ['head', head],
  ['help', help],
  ['history', history],
  ['ls', ls],
  ['mkdir', mkdir],
  ['pwd', pwd],
  ['rm', rm],
  ['source', source],
  ['.', source],
  ['touch', touch],
  ['true', trueBuiltin],
  ['unset', unset],
  ['which', which],
  ['xargs', xargs],
]);

export type { Builtin, BuiltinContext, CommandLookup, ShellState } from './context';
