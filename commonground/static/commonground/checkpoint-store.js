// The checkpoint page's storage (docs/checkpoint.md): one IndexedDB database on the phone holding, per
// community, its bundle (key "<community>:bundle" in "meta") and the log of its checks ("log", by client_id),
// kept until they are uploaded. window.CommonGround.checkpointStore(community) answers its four reads and writes.
(function () {
  "use strict";
  var DB_NAME = "commonground-checkpoint";

  function checkpointStore(COMMUNITY) {
    var dbPromise = null;
    function db() {
      if (!dbPromise) {
        dbPromise = new Promise(function (resolve, reject) {
          var request = indexedDB.open(DB_NAME, 1);
          request.onupgradeneeded = function () {
            var database = request.result;
            database.createObjectStore("meta");
            var log = database.createObjectStore("log", { keyPath: "client_id" });
            log.createIndex("checked_at", "checked_at");
          };
          request.onsuccess = function () { resolve(request.result); };
          request.onerror = function () { reject(request.error); };
        });
      }
      return dbPromise;
    }
    function tx(store, mode, work) {
      return db().then(function (database) {
        return new Promise(function (resolve, reject) {
          var transaction = database.transaction(store, mode);
          var result = work(transaction.objectStore(store));
          transaction.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
          transaction.onerror = function () { reject(transaction.error); };
        });
      });
    }
    var metaGet = function (key) { return tx("meta", "readonly", function (s) { return s.get(COMMUNITY + ":" + key); }); };
    var metaPut = function (key, value) { return tx("meta", "readwrite", function (s) { s.put(value, COMMUNITY + ":" + key); }); };
    var logPut = function (entry) { return tx("log", "readwrite", function (s) { s.put(entry); }); };
    var logAll = function () {
      return tx("log", "readonly", function (s) { return s.getAll(); }).then(function (rows) {
        return rows.filter(function (row) { return row.community === COMMUNITY; })
          .sort(function (a, b) { return a.checked_at < b.checked_at ? 1 : -1; });
      });
    };
    return { metaGet: metaGet, metaPut: metaPut, logPut: logPut, logAll: logAll };
  }

  window.CommonGround = window.CommonGround || {};
  window.CommonGround.checkpointStore = checkpointStore;
})();
