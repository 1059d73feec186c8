//go:build customtag

// Package tagset is loaded with -tags customtag, so its tagged file is
// type-checked: the time.Duration tag needs types.
package tagset

import (
	"context"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

//trace:span tags=d
func Wait(ctx context.Context, d time.Duration) (err error) {
	defer tracegen.Start(&ctx, "tagset.Wait").TagStringer("d", d).End(&err) //tracegen:generated oneline err=unnamed
	return nil
}
