package unnamed

import (
	"context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

//trace:span
func Underscore(ctx context.Context, n int) (err error) {
	defer tracegen.Start(&ctx, "unnamed.Underscore").End(&err) //tracegen:generated oneline ctx=_ err=unnamed
	return nil
}

//trace:span
func Unnamed(ctx context.Context, _ int) (err error) {
	defer tracegen.Start(&ctx, "unnamed.Unnamed").End(&err) //tracegen:generated oneline ctx=unnamed err=unnamed
	return nil
}

//trace:span
func UnnamedNoResults(ctx context.Context, _ string) {
	defer tracegen.Start(&ctx, "unnamed.UnnamedNoResults").End(nil) //tracegen:generated oneline ctx=unnamed
}
