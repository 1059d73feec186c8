// The small service instrumented, with the runtime's console output.
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/exporter/console"
	"github.com/tracegen/tracegen/runtime/tracer"
)

func price(ctx context.Context, item string) (_ float64, err error) {
	defer tracegen.Start(&ctx, "main.price").End(&err)
	if item == "" {
		return 0, fmt.Errorf("no item")
	}
	return 2.5, nil
}

func main() {
	tr := tracer.New(tracer.WithProcessor(tracer.NewBatchProcessor(console.NewJSON(os.Stderr))))
	tracegen.SetGlobalTracer(tr)
	defer tr.Shutdown(context.Background())
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
