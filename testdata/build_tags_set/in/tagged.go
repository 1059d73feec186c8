//go:build customtag

// Package tagset is loaded with -tags customtag, so its tagged file is
// type-checked: the time.Duration tag needs types.
package tagset

import (
	"context"
	"time"
)

//trace:span tags=d
func Wait(ctx context.Context, d time.Duration) error { return nil }
