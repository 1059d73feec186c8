package ctximports

import . "context"

//trace:span tags=name
func Dot(ctx Context, name string) error { return ctx.Err() }
