package ctximports

import stdctx "context"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

//trace:span
func Aliased(c stdctx.Context, id int64) (tracegenErr error) {
	defer tracegen.Start(&c, "ctximports.Aliased").End(&tracegenErr) //tracegen:generated oneline
	return c.Err()
}
