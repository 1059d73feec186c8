package orphan

import (
	"context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

func Load(ctx context.Context) (err error) { // want `orphan.Load: instrumentation orphaned \(generated code without a //trace:span directive\)`
	defer tracegen.Start(&ctx, "orphan.Load").End(&err) //tracegen:generated err=unnamed
	return nil
}
