// Package jobs runs work with and without a context.
package jobs

import (
	"context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

var runs int

// RunNightly has no context: rule roots starts a root span.
func RunNightly() int {
	defer tracegen.Start(nil, "jobs.RunNightly").End(nil) //tracegen:generated
	runs++
	return runs
}

// RunWith has one: its span is a child.
func RunWith(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "jobs.RunWith").End(&err) //tracegen:generated oneline err=unnamed
	return ctx.Err()
}

// Stop is not a Run function.
func Stop() {}
