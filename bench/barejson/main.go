// Command barejson is bench/hono.sh's baseline: fasthttp answering GET /api/users/:id with the
// bytes the Hono route writes ({"resource":"users","id":N,"name":"users N"}, application/json).
package main

import (
	"flag"
	"log"
	"strconv"
	"strings"

	"github.com/valyala/fasthttp"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18795", "listen address")
	flag.Parse()
	h := func(ctx *fasthttp.RequestCtx) {
		id, ok := strings.CutPrefix(string(ctx.Path()), "/api/users/")
		n, err := strconv.Atoi(id)
		if !ok || err != nil {
			ctx.SetStatusCode(404)
			return
		}
		ctx.SetContentType("application/json")
		ctx.SetBodyString(`{"resource":"users","id":` + strconv.Itoa(n) + `,"name":"users ` + id + `"}`)
	}
	log.Fatal(fasthttp.ListenAndServe(*addr, h))
}
