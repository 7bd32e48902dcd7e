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

  class HyperdriveStatement {
    constructor(prepared, params) {
      this[kPrepared] = prepared;
      if (params !== none) this[kParams] = params;
    }
    bind(...values) {
      const arity = this[kPrepared].arity;
      if (values.length !== arity) {
        const e = new RangeError(`Wrong number of parameter bindings for SQL query: expected ${arity}, got ${values.length}`);
        e.code = "08P01";
        throw e;
      }
      const s = new HyperdriveStatement(this[kPrepared], values);
      if (this[kNoCache]) s[kNoCache] = true;
      return s;
    }
    // edgerun extension: this statement always reads from the database,
    // never from the query cache (its result is not stored either).
    withoutCache() {
      const s = new HyperdriveStatement(this[kPrepared], this[kParams]);
      s[kNoCache] = true;
      return s;
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
      return new HyperdriveStatement(native.prepare(query), none);
    }
    batch(statements) {
      if (!Array.isArray(statements)) return Promise.reject(new TypeError("batch(statements): expected an array of prepared statements"));
      for (const s of statements) {
        if (!(s instanceof HyperdriveStatement)) return Promise.reject(new TypeError("batch(statements): every element must come from prepare()"));
      }
      return native.batch(statements.map((s) => s[kPrepared].handle), statements.map((s) => s[kParams]));
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
