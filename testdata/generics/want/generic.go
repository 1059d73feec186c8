package generics

import "context"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

// List is generic.
type List[T any] struct{ items []T }

//trace:span
func (l *List[T]) Push(ctx context.Context, v T) (tracegenErr error) {
	defer tracegen.Start(&ctx, "generics.(*List).Push").End(&tracegenErr) //tracegen:generated
	l.items = append(l.items, v)
	return nil
}

// Pair has two type parameters.
type Pair[A, B any] struct {
	a A
	b B
}

//trace:span
func (p Pair[A, B]) Swap(ctx context.Context) (_ Pair[B, A], tracegenErr error) {
	defer tracegen.Start(&ctx, "generics.Pair.Swap").End(&tracegenErr) //tracegen:generated
	return Pair[B, A]{p.b, p.a}, nil
}

//trace:span tags=n
func Map[T, U any](ctx context.Context, n int, xs []T, f func(T) U) (_ []U, tracegenErr error) {
	defer tracegen.Start(&ctx, "generics.Map").TagInt("n", int64(n)).End(&tracegenErr) //tracegen:generated
	out := make([]U, 0, n)
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out, nil
}
