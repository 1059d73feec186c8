package cgo

/*
static int add(int a, int b) { return a + b; }
*/
import "C"

import "context"

// Add calls C.
//
//trace:span tags=a
func Add(ctx context.Context, a, b int) (int, error) {
	return int(C.add(C.int(a), C.int(b))), nil
}
