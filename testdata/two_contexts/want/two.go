package two

import "context"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

// Pair uses the first context.
//
//trace:span
func Pair(a, b context.Context) (tracegenErr error) {
	defer tracegen.Start(&a, "two.Pair").End(&tracegenErr) //tracegen:generated
	_ = b
	return a.Err()
}
