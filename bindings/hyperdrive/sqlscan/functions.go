package sqlscan

// funcClass is what Classify knows about a function called in a statement.
type funcClass uint8

const (
	// funcUnknown functions (user-defined ones, mostly) may read or write any
	// table, so a statement calling one is treated as a write to unknown
	// tables, like a funcSideEffect call. (Hyperdrive caches such reads; a
	// cached or retried add_item(…) would be applied zero or two times.)
	funcUnknown funcClass = iota
	// funcPure built-ins depend only on their arguments and the rows they are
	// given: aggregates, string, maths, JSON and array functions, casts.
	funcPure
	// funcVolatile functions are VOLATILE or STABLE in PostgreSQL: the result
	// may differ between two runs of the same statement, so it is never
	// cached (Hyperdrive's rule).
	funcVolatile
	// funcSideEffect functions change state outside the result (sequences,
	// advisory locks, settings, large objects, other servers): the statement
	// may write, cannot run on a replica, and touches unknown tables.
	funcSideEffect
	// funcAgeLike is age(): STABLE with one argument (it compares with the
	// current date), IMMUTABLE with two.
	funcAgeLike
	// funcSession functions are funcSideEffect ones whose effect stays with
	// the connection: settings, session-level advisory locks, the random
	// seed, dblink connections.
	funcSession
)

// functionClasses lists functions by lower-case name. Hyperdrive's documented
// non-cacheable list (NOW, CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_TIME,
// LOCALTIME, LOCALTIMESTAMP, TIMEOFDAY, RANDOM, LASTVAL, TXID_CURRENT) is
// covered here and, for the parenthesis-free SQL value functions, by
// flagValueFunc in keywords.go.
var functionClasses = func() map[string]funcClass {
	m := make(map[string]funcClass, 512)
	add := func(c funcClass, names ...string) {
		for _, n := range names {
			m[n] = c
		}
	}
	add(funcVolatile,
		"now", "clock_timestamp", "statement_timestamp", "transaction_timestamp", "timeofday",
		"random", "random_normal", "array_shuffle", "array_sample",
		"gen_random_uuid", "uuidv4", "uuidv7", "gen_random_bytes",
		"currval", "lastval", "txid_current_if_assigned", "txid_current_snapshot",
		"current_setting", "current_database", "current_schema", "current_schemas", "current_query",
		"current_user", "session_user", "current_role", "version",
		"pg_backend_pid", "pg_blocking_pids", "pg_safe_snapshot_blocking_pids", "pg_postmaster_start_time",
		"pg_conf_load_time", "pg_is_in_recovery", "pg_is_wal_replay_paused", "pg_get_wal_replay_pause_state",
		"pg_my_temp_schema", "pg_trigger_depth", "pg_jit_available", "pg_listening_channels",
		"pg_notification_queue_usage", "pg_xact_commit_timestamp", "pg_last_committed_xact",
		"pg_database_size", "pg_relation_size", "pg_total_relation_size", "pg_table_size",
		"pg_indexes_size", "pg_tablespace_size", "pg_sequence_last_value", "pg_relation_filenode",
		"pg_relation_filepath", "pg_stat_file", "pg_tablespace_databases", "pg_column_size",
		"has_table_privilege", "has_column_privilege", "has_any_column_privilege",
		"has_database_privilege", "has_schema_privilege", "has_function_privilege",
		"has_sequence_privilege", "has_language_privilege", "has_tablespace_privilege",
		"has_type_privilege", "has_parameter_privilege", "pg_has_role", "to_regclass", "to_regproc",
		"to_regtype", "to_regnamespace", "to_regrole",
		// catalog lookups ORMs and drivers run (STABLE: they read the catalog)
		"obj_description", "col_description", "shobj_description", "pg_table_is_visible",
		"pg_type_is_visible", "pg_function_is_visible", "pg_encoding_to_char", "pg_input_is_valid",
		"pg_input_error_info", "pg_column_is_updatable", "pg_relation_is_updatable",
		// date arithmetic in the session's TimeZone
		"date_add", "date_subtract")
	add(funcSideEffect,
		"nextval", "setval", "pg_notify", "txid_current", "pg_current_xact_id",
		"pg_reload_conf", "pg_rotate_logfile", "pg_promote", "pg_switch_wal", "pg_create_restore_point",
		"pg_backup_start", "pg_backup_stop", "pg_start_backup", "pg_stop_backup",
		"pg_log_backend_memory_contexts", "pg_import_system_collations", "pg_terminate_backend",
		"pg_cancel_backend", "pg_export_snapshot", "lowrite", "loread",
		"query_to_xml", "query_to_xmlschema", "query_to_xml_and_xmlschema",
		"cursor_to_xml", "table_to_xml", "schema_to_xml", "database_to_xml")
	add(funcAgeLike, "age")
	add(funcSession, "set_config", "setseed", "pg_advisory_lock", "pg_advisory_lock_shared",
		"pg_try_advisory_lock", "pg_try_advisory_lock_shared", "dblink_connect", "dblink_connect_u")
	add(funcPure,
		// aggregates and window functions
		"count", "sum", "avg", "min", "max", "array_agg", "string_agg", "json_agg", "jsonb_agg",
		"json_agg_strict", "jsonb_agg_strict", "json_object_agg", "jsonb_object_agg", "json_arrayagg",
		"json_objectagg", "bool_and", "bool_or", "every", "bit_and", "bit_or", "bit_xor", "any_value",
		"row_number", "rank", "dense_rank", "lag", "lead", "first_value", "last_value", "nth_value",
		"ntile", "percent_rank", "cume_dist", "percentile_cont", "percentile_disc", "mode",
		"stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp", "corr",
		"covar_pop", "covar_samp", "regr_avgx", "regr_avgy", "regr_count", "regr_intercept",
		"regr_r2", "regr_slope", "regr_sxx", "regr_sxy", "regr_syy", "xmlagg", "grouping",
		"range_agg", "range_intersect_agg",
		"cube", "rollup",
		// conditionals and SQL syntax functions
		"coalesce", "nullif", "greatest", "least", "cast", "treat", "extract", "substring", "trim",
		"overlay", "position", "normalize", "num_nulls", "num_nonnulls", "pg_typeof", "format_type",
		"merge_action",
		// strings
		"lower", "upper", "initcap", "casefold", "length", "char_length", "character_length",
		"octet_length", "bit_length", "substr", "btrim", "ltrim", "rtrim", "concat", "concat_ws",
		"replace", "split_part", "strpos", "left", "right", "lpad", "rpad", "repeat", "reverse",
		"translate", "format", "quote_ident", "quote_literal", "quote_nullable", "md5", "sha224",
		"sha256", "sha384", "sha512", "encode", "decode", "to_hex", "ascii", "chr", "starts_with",
		"regexp_replace", "regexp_match", "regexp_matches", "regexp_split_to_array",
		"regexp_split_to_table", "regexp_like", "regexp_count", "regexp_substr", "regexp_instr",
		"string_to_array", "string_to_table", "array_to_string", "convert", "convert_from",
		"convert_to", "to_ascii", "unistr", "unaccent", "similarity", "word_similarity",
		"strict_word_similarity", "pg_size_pretty", "pg_size_bytes",
		// numbers
		"abs", "round", "ceil", "ceiling", "floor", "trunc", "mod", "power", "pow", "sqrt", "cbrt",
		"exp", "ln", "log", "log10", "sign", "div", "pi", "degrees", "radians", "sin", "cos", "tan",
		"asin", "acos", "atan", "atan2", "width_bucket", "gcd", "lcm", "factorial", "scale",
		"min_scale", "trim_scale", "bit_count", "get_bit", "get_byte", "set_bit", "set_byte",
		// dates and times (of their arguments, not of the clock)
		"date_trunc", "date_part", "date_bin", "make_date", "make_time", "make_timestamp",
		"make_timestamptz", "make_interval", "justify_days", "justify_hours", "justify_interval",
		"isfinite", "to_char", "to_date", "to_number", "to_timestamp", "timezone",
		// JSON
		"json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array",
		"json_object", "jsonb_object", "json_array", "row_to_json", "array_to_json", "to_json",
		"to_jsonb", "jsonb_set", "jsonb_set_lax", "jsonb_insert", "jsonb_strip_nulls",
		"json_strip_nulls", "jsonb_pretty", "jsonb_typeof", "json_typeof", "jsonb_array_length",
		"json_array_length", "jsonb_each", "json_each", "jsonb_each_text", "json_each_text",
		"jsonb_array_elements", "json_array_elements", "jsonb_array_elements_text",
		"json_array_elements_text", "jsonb_object_keys", "json_object_keys", "jsonb_extract_path",
		"json_extract_path", "jsonb_extract_path_text", "json_extract_path_text", "jsonb_path_query",
		"jsonb_path_exists", "jsonb_path_match", "jsonb_path_query_array", "jsonb_path_query_first",
		"json_populate_record", "jsonb_populate_record", "json_populate_recordset",
		"jsonb_populate_recordset", "jsonb_to_record", "jsonb_to_recordset", "json_to_record",
		"json_to_recordset", "json_scalar", "json_serialize", "json_query", "json_value",
		"json_exists", "json_table", "jsonb_exists", "jsonb_exists_any", "jsonb_exists_all",
		"jsonb_contains", "jsonb_contained",
		// arrays and set-returning functions
		"array_length", "array_upper", "array_lower", "array_position", "array_positions",
		"array_remove", "array_replace", "array_append", "array_prepend", "array_cat", "array_dims",
		"array_ndims", "array_fill", "array_reverse", "array_sort", "trim_array", "cardinality",
		"unnest", "generate_series", "generate_subscripts",
		// full-text search
		"to_tsvector", "to_tsquery", "plainto_tsquery", "phraseto_tsquery", "websearch_to_tsquery",
		"ts_rank", "ts_rank_cd", "ts_headline", "setweight", "strip", "numnode", "querytree",
		"array_to_tsvector",
		// XML
		"xmlelement", "xmlattributes", "xmlforest", "xmlconcat", "xmlparse", "xmlpi", "xmlroot", "xmlserialize",
		"xmlexists", "xmltable",
		// ranges and network addresses
		"int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange", "lower_inc",
		"upper_inc", "lower_inf", "upper_inf", "isempty", "range_merge", "multirange", "host",
		"network", "masklen", "netmask", "broadcast", "family", "abbrev",
		// type names, which take parentheses for their modifiers
		"text", "int", "int2", "int4", "int8", "integer", "bigint", "smallint", "numeric", "decimal",
		"dec", "real", "float", "float4", "float8", "double", "varchar", "char", "character",
		"varying", "nchar", "bit", "timestamp", "timestamptz", "time", "timetz", "interval", "date",
		"bool", "boolean", "json", "jsonb", "uuid", "bytea", "inet", "cidr", "macaddr", "money")
	return m
}()

// Families matched by prefix, side effects first.
var (
	sideEffectPrefixes = [...]string{
		"pg_advisory_", "pg_try_advisory_", "lo_", "dblink", "pg_stat_reset", "pg_create_",
		"pg_drop_", "pg_replication_", "pg_logical_", "pg_file_", "pg_wal_replay_", "pg_copy_",
	}
	volatilePrefixes = [...]string{
		"pg_sleep", "uuid_generate_", "txid_", "pg_current_", "inet_client_", "inet_server_",
		"pg_stat_", "pg_last_", "pg_ls_", "pg_read_", "pg_get_",
	}
)

// lookupFunction classifies a function by the last part of its name; a
// schema qualifier does not change anything (pg_catalog.now is now).
// Quoted names are compared exactly, unquoted ones case-insensitively.
func lookupFunction(name string, quoted bool) funcClass {
	var buf [maxWordLen]byte
	head := name
	if len(head) > len(buf) {
		head = head[:len(buf)] // no known name is this long; prefixes still apply
	}
	var lower []byte
	if quoted {
		lower = buf[:copy(buf[:], head)]
	} else {
		lower, _ = foldWord(&buf, head)
	}
	if len(head) == len(name) {
		if c, ok := functionClasses[string(lower)]; ok {
			return c
		}
	}
	for _, p := range sideEffectPrefixes {
		if hasPrefix(lower, p) {
			return funcSideEffect
		}
	}
	for _, p := range volatilePrefixes {
		if hasPrefix(lower, p) {
			return funcVolatile
		}
	}
	return funcUnknown
}

func hasPrefix(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == prefix
}

// volatileRelation reports relations whose contents change by themselves:
// the statistics and activity views, locks and settings.
func volatileRelation(name string) bool {
	var buf [maxWordLen]byte
	if len(name) > len(buf) {
		name = name[:len(buf)]
	}
	lower, _ := foldWord(&buf, name)
	if hasPrefix(lower, "pg_stat") {
		return true
	}
	switch string(lower) {
	case "pg_locks", "pg_settings", "pg_cursors", "pg_prepared_statements", "pg_prepared_xacts",
		"pg_replication_slots", "pg_backend_memory_contexts", "pg_timezone_names":
		return true
	}
	return false
}

// maxWordLen bounds the words looked up by lower-casing into a stack buffer;
// it covers every name in functionClasses.
const maxWordLen = 32

// foldWord lower-cases an identifier's ASCII letters into buf, as PostgreSQL
// folds unquoted identifiers. It fails for words longer than buf.
func foldWord(buf *[maxWordLen]byte, word string) ([]byte, bool) {
	if len(word) > len(buf) {
		return nil, false
	}
	for i := 0; i < len(word); i++ {
		c := word[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return buf[:len(word)], true
}
