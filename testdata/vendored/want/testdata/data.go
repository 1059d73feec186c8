package data

import "context"

//trace:span
func Data(ctx context.Context) error { return nil }
