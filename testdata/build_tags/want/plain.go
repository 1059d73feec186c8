package buildtags

import "context"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

//trace:span
func Plain(ctx context.Context) (tracegenErr error) {
	defer tracegen.Start(&ctx, "buildtags.Plain").End(&tracegenErr) //tracegen:generated oneline
	return nil
}
