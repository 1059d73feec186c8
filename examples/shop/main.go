// Shop is a tiny order service whose functions are traced by tracegen. It
// takes three orders: one that succeeds, one that fails because an item is
// out of stock, and one whose shipping address makes a function panic (the
// panic is recovered by its caller and becomes an error). Each order is one
// trace, printed as a tree of spans when the program ends.
//
// The source in this directory is kept as written, without instrumentation.
// From the root of the repository, instrument it and run it:
//
//	go run ./cmd/tracegen ./examples/shop && go run ./examples/shop
//
// Undo the instrumentation with go run ./cmd/tracegen strip ./examples/shop.
// Without it the program runs the same and records no spans.
package main

//go:generate go run github.com/tracegen/tracegen/cmd/tracegen

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/exporter/console"
	"github.com/tracegen/tracegen/runtime/tracer"
)

func main() {
	spans := &countingWriter{w: os.Stdout}
	t := tracer.New(tracer.WithServiceName("shop"),
		tracer.WithProcessor(tracer.NewBatchProcessor(console.NewTree(spans))))
	if err := tracegen.SetGlobalTracer(t); err != nil {
		fmt.Fprintln(os.Stderr, "shop:", err)
		os.Exit(1)
	}
	run(context.Background(), os.Stdout)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := t.Shutdown(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "shop:", err)
	}
	if spans.n == 0 {
		fmt.Println("No spans were recorded: the shop is not instrumented yet. Run")
		fmt.Println("\tgo run ./cmd/tracegen ./examples/shop")
		fmt.Println("from the repository's root, then run the shop again.")
	}
}

// run takes the example's orders, printing what happens to each on w.
func run(ctx context.Context, w io.Writer) {
	s := newShop(map[string]int{"tea": 10, "cup": 2})
	orders := []Order{
		{ID: 1, Customer: "ada", Items: []Item{{"tea", 2}, {"cup", 1}}, Address: "1 Analytical Way"},
		{ID: 2, Customer: "grace", Items: []Item{{"cup", 5}}, Address: "2 Compiler Road"},
		{ID: 3, Customer: "alan", Items: []Item{{"tea", 1}}, Address: ""},
	}
	for _, o := range orders {
		if err := s.Checkout(ctx, o); err != nil {
			fmt.Fprintf(w, "order %d: %v\n", o.ID, err)
			continue
		}
		fmt.Fprintf(w, "order %d: shipped\n", o.ID)
	}
	fmt.Fprintln(w)
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}
