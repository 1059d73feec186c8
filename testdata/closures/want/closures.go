package closures

import (
	"context"
	"errors"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

//trace:span
func Outer(ctx context.Context) (tracegenErr error) {
	defer tracegen.Start(&ctx, "closures.Outer").End(&tracegenErr) //tracegen:generated tracegenErr=unnamed
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
