//go:build neverbuilt

package buildtags

import "context"

//trace:span tags=n
func Tagged(ctx context.Context, n int) error { return nil }
