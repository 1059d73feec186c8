// Package service is the small HTTP service of the binary size test; each
// build in the folders beside it gives it its own price function, traced or
// not.
package service

import (
	"context"
	"fmt"
	"log"
	"net/http"
)

// Serve answers GET /price?item=… with price's answer.
func Serve(price func(ctx context.Context, item string) (float64, error)) {
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
