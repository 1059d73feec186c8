package ctximports

import (
	stdctx "context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

//trace:span
func Aliased(c stdctx.Context, id int64) (err error) {
	defer tracegen.Start(&c, "ctximports.Aliased").End(&err) //tracegen:generated oneline err=unnamed
	return c.Err()
}
