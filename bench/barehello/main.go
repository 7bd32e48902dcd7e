// Command barehello is the baseline for bench/hello.sh: the fastest plain
// fasthttp "Hello World!" server, measured in the same run as edgerun.
package main

import (
	"flag"
	"log"

	"github.com/valyala/fasthttp"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8790", "listen address")
	flag.Parse()
	body := []byte("Hello World!")
	handler := func(ctx *fasthttp.RequestCtx) {
		ctx.SetContentType("text/plain;charset=UTF-8")
		ctx.SetBody(body)
	}
	log.Fatal(fasthttp.ListenAndServe(*addr, handler))
}
