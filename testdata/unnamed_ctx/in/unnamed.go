package unnamed

import "context"

//trace:span
func Underscore(_ context.Context, n int) error { return nil }

//trace:span
func Unnamed(context.Context, int) error { return nil }

//trace:span
func UnnamedNoResults(context.Context, string) {}
