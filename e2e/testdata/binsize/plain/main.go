// The small service of the binary size test, not instrumented.
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"
)

func price(ctx context.Context, item string) (float64, error) {
	if item == "" {
		return 0, fmt.Errorf("no item")
	}
	return 2.5, nil
}

func main() {
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
