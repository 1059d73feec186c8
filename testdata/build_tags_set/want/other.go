//go:build !customtag

package tagset

import (
	"context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

// Other is excluded under customtag, so it is rewritten from its syntax.
//
//trace:span
func Other(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "tagset.Other").End(&err) //tracegen:generated oneline err=unnamed
	return nil
}
