package stale

import (
	"context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

//trace:span name=fresh
func Load(ctx context.Context) (err error) { // want `stale.Load: instrumentation stale`
	defer tracegen.Start(&ctx, "renamed").End(&err) //tracegen:generated err=unnamed
	return nil
}
