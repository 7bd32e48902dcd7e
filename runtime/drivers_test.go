//go:build unix

package runtime

// The driver apps of testdata/apps (issue #13): Workers projects written as Cloudflare's
// Hyperdrive examples write them, served by edgerun against a real PostgreSQL and checked
// through real HTTP requests. Every expected value is read from the database or computed
// here from the request's input, never written into the test.
//
// They run on edgerun's nodejs_compat modules, cloudflare:sockets (TLS with sslmode=require,
// SCRAM through crypto.subtle) and cloudflare:workers.

import (
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"edgerun/bindings/hyperdrive"
	"edgerun/bindings/localpg/pgtest"
	"edgerun/runtime/config"

	"github.com/jackc/pgx/v5"
)

var driverApps = []string{"pg", "postgres", "drizzle-pg", "drizzle-postgres", "kysely", "hono", "nodecompat"}

func requireDriverApps(t *testing.T) {
	t.Helper()
	ensureNodeModules(t)
}

func driverAppOptions(app, dsn string, vars map[string]string) config.Options {
	return config.Options{
		Dir:  filepath.Join(appsDir, app),
		Vars: vars,
		Getenv: func(k string) (string, bool) {
			return dsn, dsn != "" && k == "CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE"
		},
	}
}

func loadDriverApp(t *testing.T, app, dsn string) *config.Config {
	t.Helper()
	cfg, _, err := config.Load(driverAppOptions(app, dsn, nil))
	if err != nil {
		t.Fatalf("%s: %v", app, err)
	}
	return cfg
}

// driverAppConfig adjusts a driver app's configuration for the test: no admin listener
// (several apps run at once), and the test PostgreSQL's CA trusted by edgerun's sockets
// ([edgerun] trusted_ca_certs): workerd's sockets verify a server's certificate, the drivers
// ask for TLS with sslmode=require (pg, through pg-connection-string, treats require as
// verify-full), and the test server's certificate is signed by a CA of its own (the managed
// server's CA is trusted without configuration).
func driverAppConfig(t testing.TB, caPEM []byte) func(*config.Config) {
	var caFile string
	if caPEM != nil {
		caFile = filepath.Join(t.TempDir(), "test-postgres-ca.pem")
		if err := os.WriteFile(caFile, caPEM, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return func(cfg *config.Config) {
		cfg.Edgerun.Admin = "" // several apps at once: no admin listener on a fixed port
		if caFile != "" {
			cfg.Edgerun.TrustedCAs = append(cfg.Edgerun.TrustedCAs, caFile)
		}
	}
}

// serveDriverApp serves testdata/apps/<app> with its HYPERDRIVE on a new database (whose
// URL says sslmode=<sslmode> when not empty); it returns the app and a plain URL of the same
// database for the test's own checks.
func serveDriverApp(t *testing.T, app, sslmode string, vars map[string]string) (*testApp, string) {
	t.Helper()
	requireDriverApps(t)
	plain := pgtest.NewDatabase(t)
	dsn := plain
	if sslmode != "" {
		var err error
		if dsn, err = pgtest.WithSSLMode(plain, sslmode); err != nil {
			t.Fatal(err)
		}
	}
	return startAppWith(t, driverAppOptions(app, dsn, vars), true, driverAppConfig(t, pgtest.CACertPEM(t))), plain
}

type seedUser struct {
	ID          int
	Name, Email string
	CreatedAt   time.Time
}

// createdAt is the user's created_at as a JavaScript Date prints in JSON.
func (u seedUser) createdAt() string { return u.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z") }

type seedData struct {
	users    []seedUser
	balances map[int]int // accounts 1 and 2
}

func randomToken() string { return strings.ToLower(rand.Text()[:10]) }

// seedDatabase fills the schema the app's migrations made (testdata/apps/migrations) with
// random users and account balances.
func seedDatabase(t *testing.T, dsn string) seedData {
	t.Helper()
	conn := connectDB(t, dsn)
	var seed seedData
	for range 5 {
		tok := randomToken()
		u := seedUser{
			Name:      "user " + tok + " é€",
			Email:     tok + "@example.com",
			CreatedAt: time.UnixMilli(mathrand.Int64N(2e12) + 1e12), // 2001–2064, to the millisecond
		}
		if err := conn.QueryRow(t.Context(), "INSERT INTO users (name, email, created_at) VALUES ($1, $2, $3) RETURNING id",
			u.Name, u.Email, u.CreatedAt).Scan(&u.ID); err != nil {
			t.Fatal(err)
		}
		seed.users = append(seed.users, u)
	}
	seed.balances = map[int]int{1: 50 + mathrand.IntN(100), 2: 50 + mathrand.IntN(100)}
	for id, balance := range seed.balances {
		if _, err := conn.Exec(t.Context(), "INSERT INTO accounts (id, owner, balance) VALUES ($1, $2, $3)", id, randomToken(), balance); err != nil {
			t.Fatal(err)
		}
	}
	return seed
}

func connectDB(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func dbBalances(t *testing.T, conn *pgx.Conn) map[int]int {
	t.Helper()
	rows, err := conn.Query(t.Context(), "SELECT id, balance FROM accounts")
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]int{}
	var id, balance int
	if _, err := pgx.ForEachRow(rows, []any{&id, &balance}, func() error { got[id] = balance; return nil }); err != nil {
		t.Fatal(err)
	}
	return got
}

// call sends a request (body: JSON of body when not nil) and returns the status and body.
func (a *testApp) call(t *testing.T, method, path string, body any) (int, string) {
	t.Helper()
	var r *strings.Reader
	header := map[string]string{}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = strings.NewReader(string(b))
		header["content-type"] = "application/json"
	} else {
		r = strings.NewReader("")
	}
	resp, text := a.do(t, method, path, r, header)
	return resp.StatusCode, text
}

// wantJSON compares a response with the status and the JSON value wanted, exactly (the
// wanted value goes through JSON too, so its numbers compare as the response's do).
func wantJSON(t *testing.T, what string, status int, body string, wantStatus int, want any) {
	t.Helper()
	var got any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Errorf("%s: status %d, body not JSON: %.500q", what, status, body)
		return
	}
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var w any
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatal(err)
	}
	if status != wantStatus || !reflect.DeepEqual(got, w) {
		t.Errorf("%s:\n got  %d %s\n want %d %s", what, status, body, wantStatus, b)
	}
}

type obj = map[string]any

// dbApp describes how one driver app answers the common routes; the want functions build
// the answer from the database's rows.
type dbApp struct {
	name    string
	sslmode string
	// dir is the app's directory under testdata/apps (default name); vars its --var values.
	dir  string
	vars map[string]string
	// prepared, if set, checks GET /prepared's count of named statements on its server
	// connection (postgres.js: prepare true or false).
	prepared func(named int) bool
	// user is GET /users/:id's answer for u.
	user func(u seedUser) obj
	// listPath lists the users of ids; list is its answer (total: rows in users).
	listPath string
	list     func(users []seedUser, total int) obj
	// created is POST /users's answer for the row the database holds afterwards.
	created func(u seedUser) obj
	// transferred is the answer of a transfer that committed (balances after it).
	transferred func(balances map[int]int) obj
	// ssl: the app has GET /ssl (pg_stat_ssl of its session).
	ssl bool
}

// appDir is the app's directory under testdata/apps.
func (a dbApp) appDir() string {
	if a.dir != "" {
		return a.dir
	}
	return a.name
}

func idNames(users []seedUser) []obj {
	var out []obj
	for _, u := range users {
		out = append(out, obj{"id": u.ID, "name": u.Name})
	}
	return out
}

func userRow(u seedUser, createdAtKey string) obj {
	return obj{"id": u.ID, "name": u.Name, "email": u.Email, createdAtKey: u.createdAt()}
}

func newUser(u seedUser) obj { return obj{"id": u.ID, "name": u.Name, "email": u.Email} }

// postgresJS is the postgres.js app (prepare: true, its default).
var postgresJS = dbApp{
	name: "postgres", sslmode: "require",
	user: func(u seedUser) obj {
		return obj{"user": userRow(u, "created_at"), "createdAtIsDate": true,
			"columns": []string{"id", "name", "email", "created_at"}, "count": 1}
	},
	listPath: "/users?ids=",
	list:     func(users []seedUser, _ int) obj { return obj{"users": idNames(users)} },
	created:  func(u seedUser) obj { return obj{"user": newUser(u)} },
	transferred: func(b map[int]int) obj {
		return obj{"committed": true, "balances": []obj{{"id": 1, "balance": b[1]}, {"id": 2, "balance": b[2]}}}
	},
	ssl:      true,
	prepared: func(named int) bool { return named > 0 },
}

// postgresJSUnprepared is the same app with prepare: false: unnamed
// statements only, the same answers, over a plain connection.
func postgresJSUnprepared(a dbApp) dbApp {
	a.name, a.dir, a.vars = "postgres-unprepared", "postgres", map[string]string{"POSTGRES_PREPARE": "false"}
	a.sslmode, a.ssl = "", false
	a.prepared = func(named int) bool { return named == 0 }
	return a
}

var dbApps = []dbApp{
	{
		name: "pg", sslmode: "require",
		user: func(u seedUser) obj {
			return obj{"user": userRow(u, "created_at"), "createdAtIsDate": true,
				"fields": []string{"id", "name", "email", "created_at"}, "rowCount": 1}
		},
		listPath: "/pool/users?ids=",
		list:     func(users []seedUser, total int) obj { return obj{"users": idNames(users), "total": total} },
		created: func(u seedUser) obj {
			return obj{"user": newUser(u), "command": "INSERT", "rowCount": 1}
		},
		transferred: func(map[int]int) obj { return obj{"committed": true} },
		ssl:         true,
	},
	postgresJS,
	postgresJSUnprepared(postgresJS),
	{
		name: "drizzle-pg", sslmode: "require",
		user: func(u seedUser) obj {
			return obj{"user": userRow(u, "createdAt"), "createdAtIsDate": true}
		},
		listPath:    "/users?ids=",
		list:        func(users []seedUser, _ int) obj { return obj{"users": idNames(users)} },
		created:     func(u seedUser) obj { return obj{"user": newUser(u)} },
		transferred: func(map[int]int) obj { return obj{"committed": true} },
	},
	{
		name: "drizzle-postgres", // plain: one app per driver goes without TLS
		user: func(u seedUser) obj {
			return obj{"user": userRow(u, "createdAt"), "createdAtIsDate": true}
		},
		listPath:    "/users?ids=",
		list:        func(users []seedUser, _ int) obj { return obj{"users": idNames(users)} },
		created:     func(u seedUser) obj { return obj{"user": newUser(u)} },
		transferred: func(map[int]int) obj { return obj{"committed": true} },
	},
	{
		name: "kysely",
		user: func(u seedUser) obj {
			return obj{"user": userRow(u, "created_at"), "createdAtIsDate": true}
		},
		listPath:    "/users?ids=",
		list:        func(users []seedUser, _ int) obj { return obj{"users": idNames(users)} },
		created:     func(u seedUser) obj { return obj{"user": newUser(u)} },
		transferred: func(map[int]int) obj { return obj{"committed": true} },
	},
}

// TestDriverApps serves each database driver app and checks its reads, a write and a
// transaction that commits and one that must roll back, against what the database holds.
func TestDriverApps(t *testing.T) {
	for _, app := range dbApps {
		t.Run(app.name, func(t *testing.T) {
			t.Parallel()
			a, dsn := serveDriverApp(t, app.appDir(), app.sslmode, app.vars)
			checkDBApp(t, app, a, dsn)
			if app.prepared != nil {
				code, body := a.call(t, "GET", "/prepared", nil)
				var got struct {
					Named   int  `json:"named"`
					Prepare bool `json:"prepare"`
				}
				if err := json.Unmarshal([]byte(body), &got); code != 200 || err != nil || !app.prepared(got.Named) ||
					got.Prepare != (app.vars["POSTGRES_PREPARE"] != "false") {
					t.Errorf("%s: GET /prepared = %d %s", app.name, code, body)
				}
			}
			// A read repeated after the writes is answered from the cache, by
			// whichever message sequence the driver sends (postgres.js
			// describes its statement first, with a Flush).
			for range 2 {
				code, body := a.call(t, "GET", "/users/999999", nil)
				wantJSON(t, "GET /users/999999 again", code, body, 404, obj{"error": "no such user"})
			}
			// The drivers went through the local Hyperdrive (connectionString names it).
			for _, b := range a.app.Bindings() {
				if hd, ok := b.(*hyperdrive.Binding); ok {
					s := hd.ProxyStats()
					switch {
					case s.ClientsTotal == 0 || s.Queries == 0 || s.CacheHits == 0:
						t.Errorf("%s: no client of the local Hyperdrive, or no read it cached: %+v", app.name, s)
					case s.TCPConnections != 0 || s.InProcessConnections < s.ClientsTotal:
						// The worker's sockets reach the listener in memory, never by TCP.
						t.Errorf("%s: the driver's connections came over TCP, not in-process: %+v", app.name, s)
					default:
						t.Logf("%s: local Hyperdrive %+v", app.name, s)
					}
				}
			}
		})
	}
}

// checkDBApp runs the common routes of a database app served at a, whose database is dsn
// (its schema made by testdata/apps/migrations, its rows by seedDatabase here).
func checkDBApp(t *testing.T, app dbApp, a *testApp, dsn string) {
	t.Helper()
	seed := seedDatabase(t, dsn)
	conn := connectDB(t, dsn)

	for _, u := range seed.users[:2] {
		code, body := a.call(t, "GET", fmt.Sprintf("/users/%d", u.ID), nil)
		wantJSON(t, "GET /users/:id", code, body, 200, app.user(u))
	}
	code, body := a.call(t, "GET", "/users/999999", nil)
	wantJSON(t, "GET /users/999999", code, body, 404, obj{"error": "no such user"})

	picked := []seedUser{seed.users[1], seed.users[3], seed.users[4]}
	var ids []string
	for _, u := range picked {
		ids = append(ids, strconv.Itoa(u.ID))
	}
	code, body = a.call(t, "GET", app.listPath+strings.Join(ids, ","), nil)
	wantJSON(t, "list", code, body, 200, app.list(picked, len(seed.users)))

	// A write: the row the database holds afterwards is the one answered.
	tok := randomToken()
	code, body = a.call(t, "POST", "/users", obj{"name": "new " + tok, "email": tok + "@example.org"})
	var created seedUser
	if err := conn.QueryRow(t.Context(), "SELECT id, name, email FROM users WHERE email = $1", tok+"@example.org").
		Scan(&created.ID, &created.Name, &created.Email); err != nil {
		t.Errorf("POST /users (%d %s): the row is not in the database: %v", code, body, err)
	} else {
		wantJSON(t, "POST /users", code, body, 201, app.created(created))
	}
	// The same email again violates the UNIQUE constraint: an error, not a second row.
	code, body = a.call(t, "POST", "/users", obj{"name": "dup", "email": tok + "@example.org"})
	if code != 500 || !strings.Contains(body, `"code":"23505"`) {
		t.Errorf("duplicate POST /users: %d %s; want 500 with code 23505", code, body)
	}
	var n int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM users WHERE email = $1", tok+"@example.org").Scan(&n); err != nil || n != 1 {
		t.Errorf("rows with the new email: %d, %v; want 1", n, err)
	}

	// A transfer that fits commits both updates.
	amount := 1 + mathrand.IntN(seed.balances[1])
	code, body = a.call(t, "POST", "/transfer", obj{"from": 1, "to": 2, "amount": amount})
	after := dbBalances(t, conn)
	wantBalances := map[int]int{1: seed.balances[1] - amount, 2: seed.balances[2] + amount}
	if !reflect.DeepEqual(after, wantBalances) {
		t.Errorf("balances after a committed transfer: %v, want %v", after, wantBalances)
	}
	wantJSON(t, "POST /transfer (commits)", code, body, 200, app.transferred(after))

	// An overdraft: the credit ran first, the debit breaks the CHECK; both roll back.
	code, body = a.call(t, "POST", "/transfer", obj{"from": 1, "to": 2, "amount": after[1] + 1})
	wantJSON(t, "POST /transfer (overdraft)", code, body, 409,
		obj{"committed": false, "code": "23514", "constraint": "accounts_balance_check"})
	if got := dbBalances(t, conn); !reflect.DeepEqual(got, after) {
		t.Errorf("balances after a rolled-back transfer: %v, want %v (unchanged)", got, after)
	}

	if app.ssl {
		// The app's own session runs over TLS, with the protocol a TLS client of ours gets.
		tlsDSN, _ := pgtest.WithSSLMode(dsn, "require")
		var version string
		if err := connectDB(t, tlsDSN).QueryRow(t.Context(), "SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").Scan(&version); err != nil {
			t.Fatal(err)
		}
		code, body = a.call(t, "GET", "/ssl", nil)
		wantJSON(t, "GET /ssl", code, body, 200, obj{"ssl": true, "version": version})
	}
	// Every client the app made was ended: no session of the app's role is left.
	waitNoSessions(t, conn)
}

// waitNoSessions waits until no session of the database is left inside a transaction: a
// driver client that was not ended (ctx.waitUntil(client.end()) runs after the response),
// or a transaction neither committed nor rolled back, would hold one. (Idle sessions are
// not counted: the binding's own pool keeps some.)
func waitNoSessions(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%d sessions left idle in a transaction", n)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestDriverAppHono: hono/logger logs each request, routes answer with parameters and JSON
// bodies, and `env` from cloudflare:workers is the request's env.
func TestDriverAppHono(t *testing.T) {
	greeting := "hi " + randomToken()
	a, _ := serveDriverAppNoDB(t, "hono", map[string]string{"GREETING": greeting})
	checkHono(t, a, greeting)
}

// checkHono checks the hono app served at a with GREETING = greeting.
func checkHono(t *testing.T, a *testApp, greeting string) {
	t.Helper()
	code, body := a.call(t, "GET", "/", nil)
	if code != 200 || body != greeting+"!" {
		t.Errorf("GET /: %d %q, want 200 %q", code, body, greeting+"!")
	}
	name, q := randomToken(), "a b&c"
	code, body = a.call(t, "GET", "/hello/"+name+"?q="+url.QueryEscape(q), nil)
	wantJSON(t, "GET /hello/:name", code, body, 200, obj{"name": name, "greeting": greeting, "sameEnv": true, "query": q})

	numbers := []int{mathrand.IntN(1000), mathrand.IntN(1000), -mathrand.IntN(1000)}
	code, body = a.call(t, "POST", "/sum", obj{"numbers": numbers})
	wantJSON(t, "POST /sum", code, body, 201, obj{"sum": numbers[0] + numbers[1] + numbers[2], "count": len(numbers)})

	code, body = a.call(t, "GET", "/missing/"+name, nil)
	wantJSON(t, "GET /missing", code, body, 404, obj{"error": "not found", "path": "/missing/" + name})

	logs := a.logs.String()
	for _, want := range []string{"<-- GET /hello/" + name, "--> GET /hello/" + name, "<-- POST /sum", "--> POST /sum"} {
		if !strings.Contains(logs, want) {
			t.Errorf("hono/logger line %q not in the log:\n%s", want, logs)
		}
	}
}

func serveDriverAppNoDB(t *testing.T, app string, vars map[string]string) (*testApp, string) {
	t.Helper()
	requireDriverApps(t)
	return startAppWith(t, driverAppOptions(app, "", vars), true, driverAppConfig(t, nil)), ""
}

// TestDriverAppNodeCompat: Buffer, EventEmitter, AsyncLocalStorage, node:crypto and stream
// pipelines, each answer recomputed here from the request's input.
func TestDriverAppNodeCompat(t *testing.T) {
	a, _ := serveDriverAppNoDB(t, "nodecompat", nil)
	checkNodeCompat(t, a)
}

func checkNodeCompat(t *testing.T, a *testApp) {
	t.Helper()
	s := "héllo " + randomToken() + " wörld €"
	b := []byte(s)

	code, body := a.call(t, "GET", "/buffer?s="+url.QueryEscape(s), nil)
	wantJSON(t, "/buffer", code, body, 200, obj{
		"base64": base64.StdEncoding.EncodeToString(b), "hex": hex.EncodeToString(b), "byteLength": len(b),
		"fromBase64": s, "fromHex": s, "concatLength": len(b) + 4,
		"tailUInt32BE": 0xdeadbeef, "headUInt32BE": binary.BigEndian.Uint32(b),
		"isBuffer": true, "isUint8Array": true, "equals": true,
	})

	for _, n := range []int{0, 1, 2 + mathrand.IntN(5)} {
		seen := []int{}
		for i := range n {
			seen = append(seen, i)
		}
		onceCalls, countAfter := 0, 2
		if n > 0 {
			onceCalls, countAfter = 1, 1
		}
		code, body = a.call(t, "GET", fmt.Sprintf("/events?n=%d", n), nil)
		wantJSON(t, fmt.Sprintf("/events?n=%d", n), code, body, 200, obj{
			"seen": seen, "onceCalls": onceCalls, "countBefore": 2, "countAfter": countAfter,
			"doneArgs": []string{"a", "b"}, "hadListeners": false,
		})
	}

	// Concurrent requests interleave in one isolate: each keeps its own store. (The
	// requests run on goroutines, which may not call t.Fatal; the answers are checked after.)
	type answer struct {
		id, body string
		code     int
		err      error
	}
	answers := make([]answer, 20)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ans := answer{id: randomToken()}
			resp, err := client.Get(a.base + "/als?id=" + ans.id)
			if err == nil {
				var b []byte
				b, err = io.ReadAll(resp.Body)
				resp.Body.Close()
				ans.code, ans.body = resp.StatusCode, string(b)
			}
			ans.err = err
			answers[i] = ans
		}()
	}
	wg.Wait()
	for _, ans := range answers {
		if ans.err != nil {
			t.Errorf("/als: %v", ans.err)
			continue
		}
		id := ans.id
		wantJSON(t, "/als", ans.code, ans.body, 200, obj{"atStart": id, "afterTimeout": id, "afterAwait": id, "inTimer": id, "outside": nil})
	}

	key := randomToken()
	sum := sha256.Sum256(b)
	sha := sha1.Sum(b)
	md := md5.Sum(b)
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write(b)
	code, body = a.call(t, "GET", "/crypto?s="+url.QueryEscape(s)+"&key="+key, nil)
	wantJSON(t, "/crypto", code, body, 200, obj{
		"sha256": hex.EncodeToString(sum[:]), "sha1": base64.StdEncoding.EncodeToString(sha[:]),
		"md5": hex.EncodeToString(md[:]), "sha256Parts": hex.EncodeToString(sum[:]), "hmac": hex.EncodeToString(mac.Sum(nil)),
	})

	chunks := []string{"héllo ", randomToken(), " wörld"}
	var upper []string
	q := url.Values{}
	for _, c := range chunks {
		q.Add("chunk", c)
		upper = append(upper, strings.ToUpper(c))
	}
	code, body = a.call(t, "GET", "/stream?"+q.Encode(), nil)
	wantJSON(t, "/stream", code, body, 200, obj{"chunks": upper, "joined": strings.Join(upper, "")})
}
