// IndexedDB for storage tests in Node (the browser tests use the real one).
import 'fake-indexeddb/auto';
