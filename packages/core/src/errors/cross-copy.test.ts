import { describe, expect, it, vi } from 'vitest';
import { DharmaError, NotFoundError, StorageError, ValidationError } from './index.js';

// A second copy of the error modules, as when the CommonJS root and kernel bundles (or two installs) are both
// loaded: after resetModules the files are evaluated again, giving distinct classes.
vi.resetModules();
const other = await import('./index.js');

describe('instanceof across copies of the SDK', () => {
  it('the copies are distinct classes', () => {
    expect(other.StorageError).not.toBe(StorageError);
    expect(Object.getPrototypeOf(other.StorageError.prototype)).not.toBe(DharmaError.prototype);
  });

  it('an SDK error of one copy is an instance of the same class of the other copy, and of DharmaError', () => {
    const error = new other.StorageError('disk full');
    expect(error instanceof StorageError).toBe(true);
    expect(error instanceof DharmaError).toBe(true);
    expect(new StorageError('x') instanceof other.StorageError).toBe(true);
    expect(new ValidationError('bad', []) instanceof other.ValidationError).toBe(true);
  });

  it('but not of another SDK class, nor a plain error of any', () => {
    expect(new other.StorageError('x') instanceof NotFoundError).toBe(false);
    expect(new other.StorageError('x') instanceof ValidationError).toBe(false);
    expect(new Error('x') instanceof StorageError).toBe(false);
    expect(Object.assign(new Error('x'), { name: 'StorageError' }) instanceof other.StorageError).toBe(false);
    const nothing: unknown = null;
    expect(nothing instanceof other.DharmaError).toBe(false);
  });

  it('a class of your own that extends an SDK error keeps the plain check, and is still an instance of the SDK class', () => {
    class MyError extends StorageError {}
    class Unrelated extends other.StorageError {}
    expect(new Unrelated('x') instanceof MyError).toBe(false);
    expect(new MyError('x') instanceof MyError).toBe(true);
    expect(new MyError('x') instanceof other.StorageError).toBe(true);
  });
});
