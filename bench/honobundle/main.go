// Command honobundle bundles a worker's entry as one ES module with esbuild (workerd's
// conditions, no minification), so that bench/hono.sh can run the same code under workerd as
// under edgerun: honobundle <entry> <outfile>.
package main

import (
	"fmt"
	"os"

	"github.com/evanw/esbuild/pkg/api"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: honobundle <entry> <outfile>")
		os.Exit(2)
	}
	res := api.Build(api.BuildOptions{
		EntryPoints: []string{os.Args[1]},
		Outfile:     os.Args[2],
		Bundle:      true,
		Write:       true,
		Format:      api.FormatESModule,
		Platform:    api.PlatformNeutral,
		Target:      api.ES2022,
		Conditions:  []string{"workerd", "worker", "browser"},
		MainFields:  []string{"module", "main"},
	})
	for _, e := range res.Errors {
		fmt.Fprintln(os.Stderr, e.Text)
	}
	if len(res.Errors) > 0 {
		os.Exit(1)
	}
}
