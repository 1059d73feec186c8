package cgo

/*
static int add(int a, int b) { return a + b; }
*/
import "C"

import "context"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

// Add calls C.
//
//trace:span tags=a
func Add(ctx context.Context, a, b int) (_ int, tracegenErr error) {
	defer tracegen.Start(&ctx, "cgo.Add").TagInt("a", int64(a)).End(&tracegenErr) //tracegen:generated
	return int(C.add(C.int(a), C.int(b))), nil
}
