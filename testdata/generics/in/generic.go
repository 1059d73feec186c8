package generics

import "context"

// List is generic.
type List[T any] struct{ items []T }

//trace:span
func (l *List[T]) Push(ctx context.Context, v T) error {
	l.items = append(l.items, v)
	return nil
}

// Pair has two type parameters.
type Pair[A, B any] struct {
	a A
	b B
}

//trace:span
func (p Pair[A, B]) Swap(ctx context.Context) (Pair[B, A], error) {
	return Pair[B, A]{p.b, p.a}, nil
}

//trace:span tags=n
func Map[T, U any](ctx context.Context, n int, xs []T, f func(T) U) ([]U, error) {
	out := make([]U, 0, n)
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out, nil
}
