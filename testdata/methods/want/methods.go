package methods

import "context"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

// T has methods on both receivers.
type T struct{ n int }

//trace:span
func (t T) Value(ctx context.Context) int {
	defer tracegen.Start(&ctx, "methods.T.Value").End(nil) //tracegen:generated oneline
	return t.n
}

//trace:span
func (t *T) Pointer(ctx context.Context) (tracegenErr error) {
	defer tracegen.Start(&ctx, "methods.(*T).Pointer").End(&tracegenErr) //tracegen:generated
	t.n++
	return nil
}

//trace:span
func (T) NoReceiverName(ctx context.Context) (tracegenErr error) {
	defer tracegen.Start(&ctx, "methods.T.NoReceiverName").End(&tracegenErr) //tracegen:generated oneline
	return nil
}
