package methods

import (
	"context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

// T has methods on both receivers.
type T struct{ n int }

//trace:span
func (t T) Value(ctx context.Context) int {
	defer tracegen.Start(&ctx, "methods.T.Value").End(nil) //tracegen:generated oneline
	return t.n
}

//trace:span
func (t *T) Pointer(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "methods.(*T).Pointer").End(&err) //tracegen:generated err=unnamed
	t.n++
	return nil
}

//trace:span
func (T) NoReceiverName(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "methods.T.NoReceiverName").End(&err) //tracegen:generated oneline err=unnamed
	return nil
}
