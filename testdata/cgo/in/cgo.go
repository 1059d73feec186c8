package cgo

/*
static int add(int a, int b) { return a + b; }
*/
import "C"

import (
	"context"
	"time"
)

// Add calls C. Its tag d needs types (time.Duration is a fmt.Stringer),
// which come from cgo's output.
//
//trace:span tags=a,d
func Add(ctx context.Context, a, b int, d time.Duration) (int, error) {
	return int(C.add(C.int(a), C.int(b))), nil
}
