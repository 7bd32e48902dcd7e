package hyperdrive

// Cached reads through the local Hyperdrive: a cacheable statement
// (sqlscan's rules, as prepare()'s) run outside a transaction, by the simple
// protocol or as one [Parse] [Describe] Bind [Describe] Execute Sync
// sequence (postgres.js's Bind Execute Sync after a described statement
// among them, proxy_extended.go's describesOnly), is
// answered from the binding's cache (cache.go: the same generations,
// max_age, stale_while_revalidate, memory bound and singleflight as
// prepare()'s reads). An entry holds the answer's wire messages: the
// statement's ParameterDescription and RowDescription (or NoData), the
// portal's RowDescription (or NoData) and the DataRows with their CommandComplete,
// keyed by the SQL, the parameter types, formats and values, and the
// result formats asked, so a cached answer is byte for byte the server's.

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// wireFailure is the server's ErrorResponse to a cache fill, and how far
// the sequence got (stageParsed, stageDescribed, stageBound), with the
// statement's description when it was described.
type wireFailure struct {
	resp     *pgproto3.ErrorResponse
	stage    int
	stmtDesc []byte
}

// How far a cache fill's Parse, Describe (statement), Bind got.
const (
	stageParsed = 1 + iota
	stageDescribed
	stageBound
)

func (f *wireFailure) Error() string { return f.resp.Message }

func wireKey(db string, simple bool, sql string, oids []uint32, bind *pgproto3.Bind) string {
	var b strings.Builder
	b.WriteString("w\x00")
	b.WriteString(db)
	if simple {
		b.WriteString("\x00Q")
	} else {
		b.WriteString("\x00E")
	}
	b.WriteString(strconv.Itoa(len(sql)))
	b.WriteByte(':')
	b.WriteString(sql)
	var n [4]byte
	for _, o := range oids {
		binary.BigEndian.PutUint32(n[:], o)
		b.Write(n[:])
	}
	if bind != nil {
		b.WriteString("\x00f")
		for _, f := range bind.ParameterFormatCodes {
			b.WriteString(strconv.Itoa(int(f)))
			b.WriteByte(',')
		}
		b.WriteString("\x00p")
		for _, v := range bind.Parameters {
			if v == nil {
				b.WriteString("-1:")
				continue
			}
			b.WriteString(strconv.Itoa(len(v)))
			b.WriteByte(':')
			b.Write(v)
		}
		b.WriteString("\x00r")
		for _, f := range bind.ResultFormatCodes {
			b.WriteString(strconv.Itoa(int(f)))
			b.WriteByte(',')
		}
	}
	return b.String()
}

// cacheable is st as the cache sees it: resolved (functions' volatility)
// and cacheable, with a cache that can know of every write.
func (c *proxyClient) cacheable(st *statement) bool {
	if !c.b.cacheTrusted() || (!st.info.Cacheable && !needsFunctions(st)) {
		return false
	}
	return c.b.resolve(context.Background(), st).info.Cacheable
}

// cachedSimple answers a simple Query from the cache when it is a
// cacheable read; handled false: run it on a server connection.
func (c *proxyClient) cachedSimple(st *statement) (handled, ok bool) {
	if !c.cacheable(st) {
		return false, false
	}
	key := wireKey(c.b.dbID, true, st.raw, nil, nil)
	r, err := c.wireRead(key, st, nil, nil)
	c.p.queries.Add(1)
	var fail *wireFailure
	switch {
	case errors.As(err, &fail):
		c.send(fail.resp)
	case err != nil:
		c.send(c.bindingError(err))
	default:
		if len(r.wireDesc) > 0 && r.wireDesc[0] == 'T' {
			c.out = append(c.out, r.wireDesc...)
		}
		c.out = append(c.out, r.wireRows...)
	}
	c.send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
	return true, c.flush() == nil
}

// cachedExtended answers [Parse] [Describe statement] Bind [Describe
// portal] Execute Sync, all on the unnamed portal, from the cache when the
// statement is a cacheable read; handled false: run the messages on a
// server connection. (postgres.js describes its statement first, and pg
// and pgx bind a statement described earlier.)
func (c *proxyClient) cachedExtended(msgs []pgproto3.FrontendMessage) (handled, ok bool) {
	i := 0
	next := func() pgproto3.FrontendMessage {
		if i < len(msgs) {
			i++
			return msgs[i-1]
		}
		return nil
	}
	m := next()
	parse, _ := m.(*pgproto3.Parse)
	if parse != nil {
		m = next()
	}
	describeStmt := false
	if d, isDescribe := m.(*pgproto3.Describe); isDescribe && d.ObjectType == 'S' {
		if parse == nil || d.Name != parse.Name {
			return false, false
		}
		describeStmt = true
		m = next()
	}
	bind, _ := m.(*pgproto3.Bind)
	if bind == nil || bind.DestinationPortal != "" {
		return false, false
	}
	m = next()
	describe := false
	if d, isDescribe := m.(*pgproto3.Describe); isDescribe {
		if d.ObjectType != 'P' || d.Name != "" {
			return false, false
		}
		describe = true
		m = next()
	}
	exec, _ := m.(*pgproto3.Execute)
	if exec == nil || exec.Portal != "" || exec.MaxRows != 0 || i != len(msgs) {
		return false, false
	}
	var cs *clientStmt
	if parse != nil {
		if parse.Name != bind.PreparedStatement {
			return false, false
		}
		if _, exists := c.stmts[parse.Name]; exists && parse.Name != "" {
			return false, false
		}
		cs = &clientStmt{name: parse.Name, sql: parse.Query, oids: parse.ParameterOIDs, st: c.b.classify(parse.Query)}
		if parse.Name != "" {
			cs.server = serverName(parse.Query, parse.ParameterOIDs)
		}
	} else if cs = c.stmts[bind.PreparedStatement]; cs == nil {
		return false, false
	}
	if !c.cacheable(cs.st) {
		return false, false
	}
	if parse != nil {
		c.stmts[parse.Name] = cs
	}
	key := wireKey(c.b.dbID, false, cs.sql, cs.oids, bind)
	r, err := c.wireRead(key, cs.st, cs.oids, bind)
	c.p.queries.Add(1)
	var fail *wireFailure
	switch {
	case errors.As(err, &fail):
		if parse != nil {
			if fail.stage >= stageParsed {
				c.send(&pgproto3.ParseComplete{})
			} else if c.stmts[cs.name] == cs {
				delete(c.stmts, cs.name)
			}
		}
		if describeStmt && fail.stage >= stageDescribed {
			c.out = append(c.out, fail.stmtDesc...)
		}
		if fail.stage >= stageBound {
			c.send(&pgproto3.BindComplete{})
		}
		c.send(fail.resp)
	case err != nil:
		if parse != nil && c.stmts[cs.name] == cs {
			delete(c.stmts, cs.name)
		}
		c.send(c.bindingError(err))
	default:
		if parse != nil {
			c.send(&pgproto3.ParseComplete{})
		}
		if describeStmt {
			c.out = append(c.out, r.wireStmtDesc...)
		}
		c.send(&pgproto3.BindComplete{})
		if describe {
			c.out = append(c.out, r.wireDesc...)
		}
		c.out = append(c.out, r.wireRows...)
	}
	c.send(&pgproto3.ReadyForQuery{TxStatus: 'I'})
	return true, c.flush() == nil
}

// wireRead is cachedRead for wire answers: a fresh (or stale within
// stale_while_revalidate, refreshed in the background) entry, else one fill
// for every concurrent identical miss.
func (c *proxyClient) wireRead(key string, st *statement, oids []uint32, bind *pgproto3.Bind) (*result, error) {
	b := c.b
	cache := b.cache
	start := time.Now()
	fill := func(ctx context.Context) (*result, error) {
		gen := cache.writeGeneration()
		r, err := b.wireFill(ctx, st, oids, bind)
		if err == nil {
			cache.put(key, r, gen)
		}
		return r, err
	}
	// The barrier (strict coherence) before the lookup; when it fails the
	// read fills, as cachedRead does.
	if b.cacheCurrent(context.Background()) {
		if e, state := cache.lookup(key); state != miss {
			if state == staleOK {
				cache.stale.Add(1)
				if e.refreshing.CompareAndSwap(false, true) {
					go func() {
						defer e.refreshing.Store(false)
						ctx, cancel := context.WithTimeout(context.Background(), b.cfg.QueryTimeout)
						defer cancel()
						_, _, _ = cache.flight.Do(key+"\x00refresh", func() (any, error) { return fill(ctx) })
					}()
				}
			}
			cache.hits.Add(1)
			c.p.cacheHits.Add(1)
			if o := b.cfg.Observer; o != nil {
				o.Query(b.cfg.Name, "read", "cached", "cache", time.Since(start))
			}
			return e.res, nil
		}
	}
	cache.misses.Add(1)
	c.p.cacheMisses.Add(1)
	flightKey := key + "\x00" + strconv.FormatUint(cache.writeGeneration(), 10)
	v, err, _ := cache.flight.Do(flightKey, func() (any, error) {
		ctx, cancel := context.WithTimeout(context.Background(), b.cfg.QueryTimeout)
		defer cancel()
		return fill(ctx)
	})
	if o := b.cfg.Observer; o != nil {
		outcome, servedBy := "ok", "primary"
		var fail *wireFailure
		if err != nil && !errors.As(err, &fail) {
			outcome, servedBy = "error", ""
		} else if r, _ := v.(*result); r != nil {
			servedBy = r.servedBy
		}
		o.Query(b.cfg.Name, "read", outcome, servedBy, time.Since(start))
	}
	if err != nil {
		return nil, err
	}
	return v.(*result), nil
}

// wireFill runs a cacheable read on the primary (or the fallback), never
// a replica, and keeps its answer's messages: by the simple protocol when
// bind is nil, else as Parse (unnamed) Describe (statement) Bind Describe
// (portal) Execute Sync, so that the entry answers a client that describes
// the statement too. Reads
// are retried where prepare()'s are: failures at the connection level.
func (b *Binding) wireFill(ctx context.Context, st *statement, oids []uint32, bind *pgproto3.Bind) (*result, error) {
	var wire []byte
	if bind == nil {
		wire, _ = (&pgproto3.Query{String: st.raw}).Encode(nil)
	} else {
		wire, _ = (&pgproto3.Parse{Query: st.raw, ParameterOIDs: oids}).Encode(wire)
		wire, _ = (&pgproto3.Describe{ObjectType: 'S'}).Encode(wire)
		bd := *bind
		bd.PreparedStatement = ""
		wire, _ = bd.Encode(wire)
		wire, _ = (&pgproto3.Describe{ObjectType: 'P'}).Encode(wire)
		wire, _ = (&pgproto3.Execute{}).Encode(wire)
		wire, _ = (&pgproto3.Sync{}).Encode(wire)
	}
	var lastErr error
	for attempt := 0; attempt <= b.cfg.Retries; attempt++ {
		if attempt > 0 && !sleepCtx(ctx, backoff(attempt)) {
			break
		}
		var tried map[*endpoint]bool
		var ep *endpoint
		var err error
		var r *result
		for {
			ep = b.pick(st, nil, false, tried)
			if ep == nil {
				err = fmt.Errorf("%w: no endpoint available", ErrUnavailable)
				break
			}
			r, err = b.wireFillOn(ctx, ep, st, wire)
			if !errors.Is(err, errBreakerOpen) {
				break
			}
			if tried == nil {
				tried = map[*endpoint]bool{}
			}
			tried[ep] = true
		}
		if err == nil {
			return r, nil
		}
		if errors.Is(err, errBreakerOpen) {
			err = fmt.Errorf("%w: circuit breaker open after %d consecutive connection failures", ErrUnavailable, b.cfg.FailureThreshold)
		}
		lastErr = err
		var fail *wireFailure
		if errors.As(err, &fail) || errors.Is(err, ErrUnavailable) || ctx.Err() != nil {
			break
		}
	}
	return nil, lastErr
}

func (b *Binding) wireFillOn(ctx context.Context, ep *endpoint, st *statement, wire []byte) (*result, error) {
	conn, err := b.acquireOn(ep)
	if err != nil {
		return nil, err
	}
	pc := conn.Conn().PgConn()
	serverStmtsOf(conn).unnamed = nil
	broken := true
	defer func() {
		b.proxy.letGo(pc)
		if broken {
			cctx, cancel := context.WithTimeout(context.Background(), time.Second)
			_ = conn.Conn().Close(cctx)
			cancel()
			conn.Release()
			return
		}
		b.release(ep, conn, st.info.Session, !st.pure)
	}()
	stop := context.AfterFunc(ctx, func() {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = pc.CancelRequest(cctx)
	})
	defer stop()
	if _, err := pc.Conn().Write(wire); err != nil {
		return nil, err
	}
	r := &result{servedBy: ep.role}
	var fail *wireFailure
	stage := 0
	tooLarge := false
	for {
		msg, err := pc.ReceiveMessage(context.Background())
		if err != nil {
			return nil, err
		}
		switch m := msg.(type) {
		case *pgproto3.ParseComplete:
			stage = stageParsed
		case *pgproto3.ParameterDescription:
			r.wireStmtDesc, _ = m.Encode(nil)
		case *pgproto3.BindComplete:
			stage = stageBound
		case *pgproto3.RowDescription, *pgproto3.NoData:
			if stage == stageParsed { // the statement's, after its ParameterDescription
				r.wireStmtDesc, _ = m.Encode(r.wireStmtDesc)
				stage = stageDescribed
				continue
			}
			r.wireDesc, _ = m.Encode(nil)
		case *pgproto3.DataRow, *pgproto3.CommandComplete, *pgproto3.EmptyQueryResponse:
			if !tooLarge {
				r.wireRows, _ = m.Encode(r.wireRows)
				if int64(len(r.wireRows)) > b.cfg.MaxResultBytes {
					tooLarge, r.wireRows = true, nil
				}
			}
		case *pgproto3.ErrorResponse:
			if fail == nil {
				cp := *m
				fail = &wireFailure{resp: &cp, stage: stage, stmtDesc: r.wireStmtDesc}
			}
		case *pgproto3.ReadyForQuery:
			broken = m.TxStatus != 'I'
			switch {
			case fail != nil:
				return nil, fail
			case tooLarge:
				return nil, &wireFailure{resp: errorResponse(CodeResultTooLarge, resultTooLarge(b.cfg.MaxResultBytes).Error()), stage: stageBound, stmtDesc: r.wireStmtDesc}
			}
			return r, nil
		case *pgproto3.CopyInResponse, *pgproto3.CopyOutResponse, *pgproto3.CopyBothResponse:
			return nil, errors.New("COPY in a cached read")
		}
	}
}
