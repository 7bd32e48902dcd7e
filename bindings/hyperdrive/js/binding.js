// The per-isolate face of a Hyperdrive binding. `native` is the Go side;
// `props` the connection properties. Statements are immutable: bind()
// returns a new one, so a prepared statement can be reused with other values.
(function (native, props) {
  "use strict";
  const kHandle = Symbol("handle"), kArity = Symbol("arity"), kParams = Symbol("params"), kNoCache = Symbol("noCache");
  const ALL = 0, FIRST = 1, RUN = 2, RAW = 3;
  const none = Object.freeze([]);

  class HyperdriveStatement {
    constructor(handle, arity, params, noCache) {
      this[kHandle] = handle;
      this[kArity] = arity;
      this[kParams] = params;
      this[kNoCache] = noCache;
    }
    bind(...values) {
      if (values.length !== this[kArity]) {
        const e = new RangeError(`Wrong number of parameter bindings for SQL query: expected ${this[kArity]}, got ${values.length}`);
        e.code = "08P01";
        throw e;
      }
      return new HyperdriveStatement(this[kHandle], this[kArity], values, this[kNoCache]);
    }
    // edgerun extension: this statement always reads from the database,
    // never from the query cache (its result is not stored either).
    withoutCache() {
      return new HyperdriveStatement(this[kHandle], this[kArity], this[kParams], true);
    }
    first(column) {
      return native.query(this[kHandle], this[kParams], FIRST, this[kNoCache]).then((row) => {
        if (column === undefined || row === null) return row;
        if (!(column in row)) throw new Error(`Column not found: ${column}`);
        return row[column];
      });
    }
    all() { return native.query(this[kHandle], this[kParams], ALL, this[kNoCache]); }
    run() { return native.query(this[kHandle], this[kParams], RUN, this[kNoCache]); }
    raw(options) {
      const names = !!(options && options.columnNames);
      return native.query(this[kHandle], this[kParams], RAW, this[kNoCache]).then((r) => (names ? [r.columns].concat(r.rows) : r.rows));
    }
  }
  Object.defineProperty(HyperdriveStatement.prototype, Symbol.toStringTag, { value: "HyperdriveStatement" });

  class Hyperdrive {
    prepare(query) {
      if (typeof query !== "string") throw new TypeError("prepare(query): query must be a string");
      const h = native.prepare(query);
      return new HyperdriveStatement(h.handle, h.arity, none, false);
    }
    batch(statements) {
      if (!Array.isArray(statements)) return Promise.reject(new TypeError("batch(statements): expected an array of prepared statements"));
      for (const s of statements) {
        if (!(s instanceof HyperdriveStatement)) return Promise.reject(new TypeError("batch(statements): every element must come from prepare()"));
      }
      return native.batch(statements.map((s) => s[kHandle]), statements.map((s) => s[kParams]));
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
