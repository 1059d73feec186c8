package bodies

import "context"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

//trace:span
func OneLine(ctx context.Context) (tracegenErr error) {
	defer tracegen.Start(&ctx, "bodies.OneLine").End(&tracegenErr) //tracegen:generated oneline
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
func TwoStatements(ctx context.Context) (_ int, tracegenErr error) {
	defer tracegen.Start(&ctx, "bodies.TwoStatements").End(&tracegenErr) //tracegen:generated oneline
	x := 1
	return x, nil
}
