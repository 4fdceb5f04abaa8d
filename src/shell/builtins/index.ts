import type { Builtin } from './context';
import { cat, mkdir, rm, touch } from './files';
import { grep } from './grep';
import { ls } from './ls';
import { cd, pwd } from './navigation';
import { clear, deactivate, env, exit, exportBuiltin, falseBuiltin, help, history, source, trueBuiltin, unset, which } from './session';
import { cut, echo, head } from './text';
import { pipAudit, pipCompile, pipSync } from './pip-tools';
import { sort } from './sort';
import { tail } from './tail';
import { uniq } from './uniq';
import { wc } from './wc';
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
  ['pip-audit', pipAudit],
  ['pip-compile', pipCompile],
  ['pip-sync', pipSync],
  ['pwd', pwd],
  ['rm', rm],
  ['sort', sort],
  ['source', source],
  ['.', source],
  ['tail', tail],
  ['touch', touch],
  ['true', trueBuiltin],
  ['uniq', uniq],
  ['unset', unset],
  ['wc', wc],
  ['which', which],
  ['xargs', xargs],
]);

export type { Builtin, BuiltinContext, CommandLookup, ShellState } from './context';
