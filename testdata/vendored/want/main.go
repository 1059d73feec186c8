package vendored

import "context"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

//trace:span
func Mine(ctx context.Context) (tracegenErr error) {
	defer tracegen.Start(&ctx, "vendored.Mine").End(&tracegenErr) //tracegen:generated oneline
	return nil
}
