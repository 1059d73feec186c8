package closures

import (
	"context"
	"errors"
)

//trace:span
func Outer(ctx context.Context) error {
	f := func(ctx context.Context) (err error) {
		err = errors.New("inner")
		return err
	}
	err := f(ctx)
	if err != nil {
		ctx := context.Background()
		return func() error { return ctx.Err() }()
	}
	return nil
}
