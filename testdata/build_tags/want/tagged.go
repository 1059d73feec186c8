//go:build neverbuilt

package buildtags

import (
	"context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

//trace:span tags=n
func Tagged(ctx context.Context, n int) (err error) {
	defer tracegen.Start(&ctx, "buildtags.Tagged").TagInt("n", int64(n)).End(&err) //tracegen:generated oneline err=unnamed
	return nil
}
