//go:build neverbuilt

package buildtags

import "context"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

//trace:span tags=n
func Tagged(ctx context.Context, n int) (tracegenErr error) {
	defer tracegen.Start(&ctx, "buildtags.Tagged").TagInt("n", int64(n)).End(&tracegenErr) //tracegen:generated oneline
	return nil
}
