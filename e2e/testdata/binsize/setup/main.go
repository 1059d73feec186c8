// The small service instrumented, set up from the environment (OTLP over
// HTTP, Zipkin, console).
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/setup"
)

func price(ctx context.Context, item string) (_ float64, err error) {
	defer tracegen.Start(&ctx, "main.price").End(&err)
	if item == "" {
		return 0, fmt.Errorf("no item")
	}
	return 2.5, nil
}

func main() {
	shutdown, err := setup.FromEnv(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	defer shutdown(context.Background())
	http.HandleFunc("/price", func(w http.ResponseWriter, r *http.Request) {
		p, err := price(r.Context(), r.URL.Query().Get("item"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, p)
	})
	log.Fatal(http.ListenAndServe("127.0.0.1:0", nil))
}
