package ctxnames

import "context"

//trace:span
func C(c context.Context) error { return c.Err() }

// Shadow names its context after the package.
//
//trace:span
func Shadow(context context.Context) (err error) {
	return context.Err()
}
