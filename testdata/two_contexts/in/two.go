package two

import "context"

// Pair uses the first context.
//
//trace:span
func Pair(a, b context.Context) error {
	_ = b
	return a.Err()
}
