import { expect } from 'vitest';
import { BuildError } from '../../../src/build';

/** The message of the BuildError `f` throws (failing the test when it throws nothing, or something else). */
export function refusal(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(BuildError);
    return (error as BuildError).message;
  }
  throw new Error('expected a refusal');
}
