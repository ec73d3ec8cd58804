import { MemoryStorage, type Storage } from '../index.js';
import { runStorageConformance } from '../testing/index.js';

runStorageConformance('memory', {
  open: async () => new MemoryStorage(),
  reopen: async (previous: Storage) => new MemoryStorage({ store: (previous as MemoryStorage).store }),
});
