// Command barequery is the baseline for bench/query.sh: a plain fasthttp server
// with a pgxpool, answering GET /item?id=N with {"id":N,"name":"..."} from
// `SELECT id, name FROM items WHERE id = $1`, the work that
// testdata/workers/hyperdrive-app does through env.HYPERDRIVE. It is written as
// a careful Go service would be: a pool of the same size as edgerun's
// (origin_connection_limit), statements prepared once per connection and
// cached (QueryExecModeCacheStatement), every query bounded by a timeout, and
// the row read straight from the driver's buffer into the response body, with
// no per-request allocation of its own.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/valyala/fasthttp"
)

const itemQuery = "SELECT id, name FROM items WHERE id = $1"

func main() {
	addr := flag.String("addr", "127.0.0.1:8792", "listen address")
	dsn := flag.String("dsn", "", "PostgreSQL connection string (required)")
	poolSize := flag.Int("pool", 10, "maximum pooled connections (edgerun's origin_connection_limit in the fixture)")
	queryTimeout := flag.Duration("query-timeout", 30*time.Second, "per-query limit (edgerun's default query_timeout_ms)")
	flag.Parse()
	if *dsn == "" {
		log.Fatal("barequery: -dsn is required")
	}
	pool, err := openPool(*dsn, *poolSize)
	if err != nil {
		log.Fatalf("barequery: %v", err)
	}
	defer pool.Close()
	h := &itemHandler{pool: pool, timeout: *queryTimeout}
	server := &fasthttp.Server{Handler: h.serve, Name: "barequery"}
	log.Fatal(server.ListenAndServe(*addr))
}

func openPool(dsn string, size int) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, errors.New("invalid -dsn (the text is not shown: it may hold a password)")
	}
	cfg.MaxConns = int32(size)
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheStatement
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

type itemHandler struct {
	pool    *pgxpool.Pool
	timeout time.Duration
}

var (
	jsonType      = []byte("application/json")
	textType      = []byte("text/plain;charset=UTF-8")
	notFoundBody  = []byte("not found")
	missingBody   = []byte("missing")
	badIDBody     = []byte("id must be an integer")
	databaseError = []byte("database error")
)

func (h *itemHandler) serve(ctx *fasthttp.RequestCtx) {
	if !ctx.IsGet() || string(ctx.Path()) != "/item" {
		reply(ctx, fasthttp.StatusNotFound, notFoundBody)
		return
	}
	id, err := ctx.QueryArgs().GetUint("id")
	if err != nil {
		reply(ctx, fasthttp.StatusBadRequest, badIDBody)
		return
	}
	found, err := h.writeItem(ctx, int32(min(id, 1<<31-1)))
	switch {
	case err != nil:
		log.Printf("barequery: item %d: %v", id, err)
		ctx.ResetBody()
		reply(ctx, fasthttp.StatusInternalServerError, databaseError)
	case !found:
		reply(ctx, fasthttp.StatusNotFound, missingBody)
	default:
		ctx.Response.Header.SetContentTypeBytes(jsonType)
	}
}

// writeItem appends the row's JSON to the response body while the row is
// still in the driver's read buffer (DriverBytes is valid until rows.Close).
func (h *itemHandler) writeItem(ctx *fasthttp.RequestCtx, id int32) (found bool, err error) {
	qctx, cancel := context.WithTimeout(context.Background(), h.timeout)
	defer cancel()
	rows, err := h.pool.Query(qctx, itemQuery, id)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if rows.Next() {
		var rowID int32
		var name pgtype.DriverBytes
		if err := rows.Scan(&rowID, &name); err != nil {
			return false, err
		}
		buf := make([]byte, 0, 64) // stays on the stack for names of ordinary length
		buf = append(buf, `{"id":`...)
		buf = strconv.AppendInt(buf, int64(rowID), 10)
		buf = append(buf, `,"name":`...)
		buf = appendJSONString(buf, name)
		buf = append(buf, '}')
		ctx.Response.AppendBody(buf)
		found = true
	}
	rows.Close()
	return found, rows.Err()
}

func reply(ctx *fasthttp.RequestCtx, status int, body []byte) {
	ctx.SetStatusCode(status)
	ctx.Response.Header.SetContentTypeBytes(textType)
	ctx.SetBody(body)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string, as JSON.stringify writes it:
// quotes, backslashes and control characters escaped, other text as is
// (invalid UTF-8 becomes U+FFFD).
func appendJSONString(dst, s []byte) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = utf8.AppendRune(dst, utf8.RuneError)
			} else {
				dst = append(dst, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		default:
			dst = append(dst, c)
		}
		i++
	}
	return append(dst, '"')
}
