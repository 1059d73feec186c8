// Package jobs runs work with and without a context.
package jobs

import "context"

var runs int

// RunNightly has no context: rule roots starts a root span.
func RunNightly() int {
	runs++
	return runs
}

// RunWith has one: its span is a child.
func RunWith(ctx context.Context) error { return ctx.Err() }

// Stop is not a Run function.
func Stop() {}
