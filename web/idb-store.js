// The one way the page's stores (model-store, run-store, personal-store) open IndexedDB:
// each has its own database with one object store, made on first use.

// -> Promise<IDBDatabase>. storeOptions: createObjectStore's ({ keyPath, autoIncrement }).
export function openDatabase(dbName, storeName, storeOptions = undefined) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(dbName, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName, storeOptions);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error(`the ${dbName} database is blocked by another tab`));
  });
}

// -> run(mode, action): opens the database, resolves with the result of the one request
// action(objectStore) makes, and closes it again.
export function requestRunner(dbName, storeName, storeOptions = undefined) {
  return async function run(mode, action) {
    const db = await openDatabase(dbName, storeName, storeOptions);
    try {
      return await new Promise((resolve, reject) => {
        const request = action(db.transaction(storeName, mode).objectStore(storeName));
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    } finally {
      db.close();
    }
  };
}
