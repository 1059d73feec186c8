// The small service, not instrumented.
package main

import (
	"context"
	"errors"

	"github.com/tracegen/tracegen/e2e/testdata/binsize/service"
)

func price(ctx context.Context, item string) (float64, error) {
	if item == "" {
		return 0, errors.New("no item")
	}
	return 2.5, nil
}

func main() { service.Serve(price) }
