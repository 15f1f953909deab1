import type { TLocalAdmission, TQueuedScan, TScannerBundle } from './checkin-types';

/**
 * Where the scanner keeps what must survive a reload, a crash or a dead battery while offline:
 * the event's bundle, the scans not yet uploaded, and the tickets this device saw admitted.
 * None of it is personal data (codes and ids, no names or e-mail addresses).
 */
export type TScannerStore = {
  /** False when the browser offers no IndexedDB and everything lives only in memory. */
  isDurable: boolean;
  getBundle(eventId: string): Promise<TScannerBundle | undefined>;
  putBundle(bundle: TScannerBundle): Promise<void>;
  /** The scans waiting for upload, oldest first. */
  listQueued(eventId: string): Promise<TQueuedScan[]>;
  enqueue(scan: TQueuedScan): Promise<void>;
  removeQueued(scanIds: readonly string[]): Promise<void>;
  getAdmission(eventId: string, ticketId: string): Promise<TLocalAdmission | undefined>;
  putAdmission(admission: TLocalAdmission): Promise<void>;
};

const byScannedAt = (a: TQueuedScan, b: TQueuedScan) => a.scannedAt.localeCompare(b.scannedAt);

/** A store in memory, for tests and for browsers without IndexedDB. */
export function createMemoryScannerStore(): TScannerStore {
  const bundles = new Map<string, TScannerBundle>();
  const queue = new Map<string, TQueuedScan>();
  const admissions = new Map<string, TLocalAdmission>();
  return {
    isDurable: false,
    getBundle: (eventId) => Promise.resolve(bundles.get(eventId)),
    putBundle: (bundle) => {
      bundles.set(bundle.eventId, bundle);
      return Promise.resolve();
    },
    listQueued: (eventId) =>
      Promise.resolve([...queue.values()].filter((s) => s.eventId === eventId).sort(byScannedAt)),
    enqueue: (scan) => {
      queue.set(scan.scanId, scan);
      return Promise.resolve();
    },
    removeQueued: (scanIds) => {
      for (const id of scanIds) queue.delete(id);
      return Promise.resolve();
    },
    getAdmission: (eventId, ticketId) => Promise.resolve(admissions.get(`${eventId}:${ticketId}`)),
    putAdmission: (admission) => {
      admissions.set(`${admission.eventId}:${admission.ticketId}`, admission);
      return Promise.resolve();
    },
  };
}

const DB_NAME = 'tickitnow-scanner';
const DB_VERSION = 1;

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  const request = factory.open(DB_NAME, DB_VERSION);
  request.onupgradeneeded = () => {
    const db = request.result;
    db.createObjectStore('bundles', { keyPath: 'eventId' });
    db.createObjectStore('queue', { keyPath: 'scanId' }).createIndex('eventId', 'eventId');
    db.createObjectStore('admissions', { keyPath: ['eventId', 'ticketId'] });
  };
  return promised(request);
}

/**
 * The IndexedDB store. Every write waits for its transaction to commit, so a scan shown as
 * queued is on disk.
 */
export async function openIndexedDbScannerStore(
  factory: IDBFactory = indexedDB,
): Promise<TScannerStore> {
  const db = await openDatabase(factory);

  async function read<T>(store: string, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    return promised(run(db.transaction(store, 'readonly').objectStore(store)));
  }
  function write(store: string, run: (s: IDBObjectStore) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(store, 'readwrite');
      run(transaction.objectStore(store));
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB write failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB write aborted'));
    });
  }

  return {
    isDurable: true,
    getBundle: (eventId) =>
      read('bundles', (s) => s.get(eventId) as IDBRequest<TScannerBundle | undefined>),
    putBundle: (bundle) => write('bundles', (s) => s.put(bundle)),
    listQueued: async (eventId) =>
      (
        await read('queue', (s) => s.index('eventId').getAll(eventId) as IDBRequest<TQueuedScan[]>)
      ).sort(byScannedAt),
    enqueue: (scan) => write('queue', (s) => s.put(scan)),
    removeQueued: (scanIds) =>
      write('queue', (s) => {
        for (const id of scanIds) s.delete(id);
      }),
    getAdmission: (eventId, ticketId) =>
      read(
        'admissions',
        (s) => s.get([eventId, ticketId]) as IDBRequest<TLocalAdmission | undefined>,
      ),
    putAdmission: (admission) => write('admissions', (s) => s.put(admission)),
  };
}

/**
 * The durable store where the browser has IndexedDB (asking it not to evict the data under
 * storage pressure), else the memory store — the page then warns that scans die with the tab.
 */
export async function openScannerStore(): Promise<TScannerStore> {
  try {
    if (typeof indexedDB === 'undefined') return createMemoryScannerStore();
    const store = await openIndexedDbScannerStore();
    void navigator.storage?.persist?.().catch(() => false);
    return store;
  } catch (error) {
    console.warn('IndexedDB is unavailable; offline scans are kept in memory only.', error);
    return createMemoryScannerStore();
  }
}
