//go:build !customtag

package tagset

import "context"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

// Other is excluded under customtag, so it is rewritten from its syntax.
//
//trace:span
func Other(ctx context.Context) (tracegenErr error) {
	defer tracegen.Start(&ctx, "tagset.Other").End(&tracegenErr) //tracegen:generated oneline
	return nil
}
