package dep

import "context"

//trace:span
func Theirs(ctx context.Context) error { return nil }
