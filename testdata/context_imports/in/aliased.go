package ctximports

import stdctx "context"

//trace:span
func Aliased(c stdctx.Context, id int64) error { return c.Err() }
