//go:build !customtag

package tagset

import "context"

// Other is excluded under customtag, so it is rewritten from its syntax.
//
//trace:span
func Other(ctx context.Context) error { return nil }
