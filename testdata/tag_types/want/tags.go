package tagtypes

import (
	"context"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

// ID is a named string.
type ID string

// Level has a String method.
type Level int

func (l Level) String() string { return [...]string{"low", "high"}[l] }

//trace:span tags=id,lvl,d,u,f,ok,cause,b,r
func All(ctx context.Context, id ID, lvl Level, d time.Duration, u uint16, f float32, ok bool, cause error, b byte, r rune) (err error) {
	defer tracegen.Start(&ctx, "tagtypes.All").TagString("id", string(id)).TagStringer("lvl", lvl).TagStringer("d", d).TagUint("u", uint64(u)).TagFloat("f", float64(f)).TagBool("ok", ok).TagError("cause", cause).TagUint("b", uint64(b)).TagInt("r", int64(r)).End(&err) //tracegen:generated err=unnamed
	return nil
}
