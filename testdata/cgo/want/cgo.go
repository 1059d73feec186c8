package cgo

/*
static int add(int a, int b) { return a + b; }
*/
import "C"

import (
	"context"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

// Add calls C. Its tag d needs types (time.Duration is a fmt.Stringer),
// which come from cgo's output.
//
//trace:span tags=a,d
func Add(ctx context.Context, a, b int, d time.Duration) (_ int, err error) {
	defer tracegen.Start(&ctx, "cgo.Add").TagInt("a", int64(a)).TagStringer("d", d).End(&err) //tracegen:generated err=unnamed
	return int(C.add(C.int(a), C.int(b))), nil
}
