package vendored

import "context"

//trace:span
func Mine(ctx context.Context) error { return nil }
