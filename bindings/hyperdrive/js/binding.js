// The per-isolate face of a Hyperdrive binding. `native` is the Go side;
// `props` the connection properties. Statements are immutable: bind()
// returns a new one, so a prepared statement can be reused with other values.
(function (native, props) {
  "use strict";
  // A statement holds what prepare() returned (the Go handle and the
  // arity), its bound values, and whether it bypasses the cache; defaults
  // live on the prototype so bind() sets two properties.
  const kPrepared = Symbol("prepared"), kParams = Symbol("params"), kNoCache = Symbol("noCache");
  const ALL = 0, FIRST = 1, RUN = 2, RAW = 3, RAW_NAMES = 4;
  const none = Object.freeze([]);

  // Statements are made with Object.create and two property writes, not
  // `new`: a class construction costs goja about twice as much, and every
  // query makes two statements (prepare, bind).
  function statement(prepared, params, noCache) {
    const s = Object.create(HyperdriveStatement.prototype);
    s[kPrepared] = prepared;
    if (params !== none) s[kParams] = params;
    if (noCache) s[kNoCache] = true;
    return s;
  }
  class HyperdriveStatement {
    constructor() {
      throw new TypeError("Illegal constructor: statements come from prepare()");
    }
    bind(...values) {
      const prepared = this[kPrepared];
      if (values.length !== prepared.arity) {
        const e = new RangeError(`Wrong number of parameter bindings for SQL query: expected ${prepared.arity}, got ${values.length}`);
        e.code = "08P01";
        throw e;
      }
      return statement(prepared, values, this[kNoCache]);
    }
    // edgerun extension: this statement always reads from the database,
    // never from the query cache (its result is not stored either).
    withoutCache() {
      return statement(this[kPrepared], this[kParams], true);
    }
    // first(column): the Go side picks the column (or rejects when the
    // result has no such column), so no extra promise is chained here.
    first(column) { return native.query(this[kPrepared].handle, this[kParams], FIRST, this[kNoCache], column); }
    all() { return native.query(this[kPrepared].handle, this[kParams], ALL, this[kNoCache]); }
    run() { return native.query(this[kPrepared].handle, this[kParams], RUN, this[kNoCache]); }
    raw(options) {
      const mode = options && options.columnNames ? RAW_NAMES : RAW;
      return native.query(this[kPrepared].handle, this[kParams], mode, this[kNoCache]);
    }
  }
  Object.assign(HyperdriveStatement.prototype, { [kParams]: none, [kNoCache]: false });
  Object.defineProperty(HyperdriveStatement.prototype, Symbol.toStringTag, { value: "HyperdriveStatement" });

  class Hyperdrive {
    prepare(query) {
      if (typeof query !== "string") throw new TypeError("prepare(query): query must be a string");
      return statement(native.prepare(query), none, false);
    }
    batch(statements) {
      if (!Array.isArray(statements)) return Promise.reject(new TypeError("batch(statements): expected an array of prepared statements"));
      // An index loop, not for-of or map(): a script may have patched the
      // array's iterator or methods.
      const handles = [], params = [];
      for (let i = 0; i < statements.length; i++) {
        const s = statements[i];
        if (!(s instanceof HyperdriveStatement)) return Promise.reject(new TypeError("batch(statements): every element must come from prepare()"));
        handles[i] = s[kPrepared].handle;
        params[i] = s[kParams];
      }
      return native.batch(handles, params);
    }
    exec(query) {
      if (typeof query !== "string") return Promise.reject(new TypeError("exec(query): query must be a string"));
      return native.exec(query);
    }
    dump() { return Promise.reject(new Error("dump() is not supported by Hyperdrive bindings")); }
    // Hyperdrive's own API: drivers connect with these.
    get connectionString() { return props.connectionString; }
    get host() { return props.host; }
    get port() { return props.port; }
    get user() { return props.user; }
    get password() { return props.password; }
    get database() { return props.database; }
  }
  Object.defineProperty(Hyperdrive.prototype, Symbol.toStringTag, { value: "Hyperdrive" });
  return new Hyperdrive();
});
