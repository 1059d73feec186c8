package bodies

import "context"

//trace:span
func OneLine(ctx context.Context) error { return nil }

//trace:span
func Empty(ctx context.Context) {}

//trace:span
func EmptyMultiline(ctx context.Context) {
}

//trace:span
func TwoStatements(ctx context.Context) (int, error) { x := 1; return x, nil }
