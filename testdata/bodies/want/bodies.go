package bodies

import (
	"context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

//trace:span
func OneLine(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "bodies.OneLine").End(&err) //tracegen:generated oneline err=unnamed
	return nil
}

//trace:span
func Empty(ctx context.Context) {
	defer tracegen.Start(&ctx, "bodies.Empty").End(nil) //tracegen:generated oneline
}

//trace:span
func EmptyMultiline(ctx context.Context) {
	defer tracegen.Start(&ctx, "bodies.EmptyMultiline").End(nil) //tracegen:generated
}

//trace:span
func TwoStatements(ctx context.Context) (_ int, err error) {
	defer tracegen.Start(&ctx, "bodies.TwoStatements").End(&err) //tracegen:generated oneline err=unnamed
	x := 1
	return x, nil
}
