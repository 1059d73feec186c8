package two

import (
	"context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

// Pair uses the first context.
//
//trace:span
func Pair(a, b context.Context) (err error) {
	defer tracegen.Start(&a, "two.Pair").End(&err) //tracegen:generated err=unnamed
	_ = b
	return a.Err()
}
