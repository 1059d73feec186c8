package methods

import "context"

// T has methods on both receivers.
type T struct{ n int }

//trace:span
func (t T) Value(ctx context.Context) int { return t.n }

//trace:span
func (t *T) Pointer(ctx context.Context) error {
	t.n++
	return nil
}

//trace:span
func (T) NoReceiverName(ctx context.Context) error { return nil }
