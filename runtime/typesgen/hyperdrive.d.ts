// env.HYPERDRIVE as edgerun provides it: Workers' Hyperdrive (the
// connection properties drivers use) plus the statement API of edgerun's
// binding, with D1's semantics. These declarations merge with
// @cloudflare/workers-types' Hyperdrive when a project loads both.

/** A value a statement can be bound to. */
type HyperdriveValue =
  | string
  | number
  | boolean
  | bigint
  | null
  | undefined // sent as NULL
  | Date // timestamptz
  | Uint8Array // bytea
  | ArrayBuffer // bytea
  | HyperdriveValue[] // a PostgreSQL array
  | { [key: string]: unknown }; // json

/** What every statement result reports about how it ran. */
interface HyperdriveMeta {
  /** Wall time of the query, in milliseconds. */
  duration: number;
  rows_read: number;
  rows_written: number;
  /** Rows changed by INSERT/UPDATE/DELETE. */
  changes: number;
  /** True when the rows came from the query cache. */
  cached: boolean;
  /** Which endpoint answered. */
  served_by: "primary" | "replica" | "fallback" | "cache";
}

/** The result of all() and run(). */
interface HyperdriveResult<T = Record<string, unknown>> {
  results: T[];
  success: true;
  meta: HyperdriveMeta;
}

/** The result of exec(). */
interface HyperdriveExecResult {
  /** Statements run. */
  count: number;
  /** Milliseconds. */
  duration: number;
}

/**
 * A prepared statement. Statements are immutable: bind() returns a new one,
 * so a statement can be prepared once and reused.
 *
 * Placeholders: `?` (positional), `?NNN` (numbered) and PostgreSQL's `$N`;
 * `??` is a literal `?`. Wrong arity is an error before anything is sent.
 */
interface HyperdrivePreparedStatement {
  bind(...values: HyperdriveValue[]): HyperdrivePreparedStatement;
  /** This statement always reads from the database, never from the query cache (edgerun). */
  withoutCache(): HyperdrivePreparedStatement;
  /** The first row's value of column, or null when there is no row. */
  first<T = unknown>(column: string): Promise<T | null>;
  /** The first row, or null when there is no row. */
  first<T = Record<string, unknown>>(): Promise<T | null>;
  all<T = Record<string, unknown>>(): Promise<HyperdriveResult<T>>;
  /** As all(); for statements whose rows do not matter. */
  run<T = Record<string, unknown>>(): Promise<HyperdriveResult<T>>;
  /** Rows as arrays, with the column names first when asked. */
  raw<T = unknown[]>(options: { columnNames: true }): Promise<[string[], ...T[]]>;
  raw<T = unknown[]>(options?: { columnNames?: false }): Promise<T[]>;
}

/**
 * An error thrown by a statement: PostgreSQL's fields when the server
 * answered, code "58000" when the database could not be reached.
 */
interface HyperdriveError extends Error {
  /** SQLSTATE, e.g. "23505" unique_violation, "23503" foreign_key_violation. */
  code?: string;
  detail?: string;
  hint?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

interface Hyperdrive {
  // Connection properties, as in Workers (the password is real: never log these).
  readonly connectionString: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;

  prepare(sql: string): HyperdrivePreparedStatement;
  /** Runs the statements in one transaction: all or nothing. */
  batch<T = Record<string, unknown>>(statements: HyperdrivePreparedStatement[]): Promise<HyperdriveResult<T>[]>;
  /** Runs one or more statements separated by `;`, without parameters. */
  exec(sql: string): Promise<HyperdriveExecResult>;
}
