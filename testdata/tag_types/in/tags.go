package tagtypes

import (
	"context"
	"time"
)

// ID is a named string.
type ID string

// Level has a String method.
type Level int

func (l Level) String() string { return [...]string{"low", "high"}[l] }

//trace:span tags=id,lvl,d,u,f,ok,cause,b,r
func All(ctx context.Context, id ID, lvl Level, d time.Duration, u uint16, f float32, ok bool, cause error, b byte, r rune) error {
	return nil
}
