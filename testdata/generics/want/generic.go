package generics

import (
	"context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

// List is generic.
type List[T any] struct{ items []T }

//trace:span
func (l *List[T]) Push(ctx context.Context, v T) (err error) {
	defer tracegen.Start(&ctx, "generics.(*List).Push").End(&err) //tracegen:generated err=unnamed
	l.items = append(l.items, v)
	return nil
}

// Pair has two type parameters.
type Pair[A, B any] struct {
	a A
	b B
}

//trace:span
func (p Pair[A, B]) Swap(ctx context.Context) (_ Pair[B, A], err error) {
	defer tracegen.Start(&ctx, "generics.Pair.Swap").End(&err) //tracegen:generated err=unnamed
	return Pair[B, A]{p.b, p.a}, nil
}

//trace:span tags=n
func Map[T, U any](ctx context.Context, n int, xs []T, f func(T) U) (_ []U, err error) {
	defer tracegen.Start(&ctx, "generics.Map").TagInt("n", int64(n)).End(&err) //tracegen:generated err=unnamed
	out := make([]U, 0, n)
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out, nil
}
